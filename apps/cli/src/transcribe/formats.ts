import { splitCues, toCtm, toSrt, toVtt, type Transcript } from '@asrq/runtime';

/** Output formats of `asrq transcribe`. */
export const FORMATS = ['txt', 'json', 'srt', 'vtt', 'ctm'] as const;
/** One of {@link FORMATS}. */
export type Format = (typeof FORMATS)[number];

/** What a transcript looks like in one format. */
export interface RenderOptions {
  /** The input as the user named it (JSON `file`). */
  display: string;
  /** Recording id for CTM (the output stem without directories). */
  recordingId: string;
  /** Append word times to txt output (`--timestamps`). */
  timestamps?: boolean;
  /** Prefix txt output with the file name (several inputs printed to stdout). */
  label?: boolean;
}

/** Seconds rounded to the millisecond: frame arithmetic leaves float noise (1.1400000000000001). */
function toMs(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

/**
 * Renders one transcript.
 * @param format - Output format.
 * @param result - The transcript.
 * @param options - Names and txt details.
 * @returns The text to print or write (ends with a newline unless empty).
 */
export function render(format: Format, result: Transcript, options: RenderOptions): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify({
        file: options.display,
        text: result.text,
        words: result.words.map((w) => ({ ...w, startSec: toMs(w.startSec), endSec: toMs(w.endSec) })),
        ...(result.nbest ? { nbest: result.nbest } : {}),
        audioSec: toMs(result.audioSec),
        encoderSec: toMs(result.encoderSec),
        decodeSec: toMs(result.decodeSec),
      })}\n`;
    case 'srt':
      return toSrt(splitCues(result.words));
    case 'vtt':
      return toVtt(splitCues(result.words));
    case 'ctm':
      return toCtm(options.recordingId, result.words);
    default: {
      let out = `${options.label ? `${options.display}: ` : ''}${result.text}\n`;
      if (options.timestamps)
        for (const w of result.words) out += `  ${w.startSec.toFixed(2)}-${w.endSec.toFixed(2)} ${w.word}\n`;
      if (result.nbest)
        result.nbest.slice(1).forEach((alt, i) => (out += `  #${i + 2} ${alt.score.toFixed(2)} ${alt.text}\n`));
      return out;
    }
  }
}
