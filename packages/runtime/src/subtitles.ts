import { RUNTIME_DEFAULTS } from './defaults.js';
import type { TimedWord } from './transcriber.js';

/** A word with times in seconds (as a `Transcript` gives them). */
type Word = TimedWord;

/** One subtitle cue. */
export interface Cue {
  startSec: number;
  endSec: number;
  /** One or two lines. */
  lines: string[];
}

/** How words are grouped into cues; the defaults are `RUNTIME_DEFAULTS.cues`. */
export interface CueOptions {
  /** A silence at least this long between two words starts a new cue (seconds). */
  pauseSec?: number;
  /** Characters per line. */
  maxLineChars?: number;
  /** Lines per cue. */
  maxLines?: number;
  /** Longest cue on screen (seconds). */
  maxCueSec?: number;
}

/** Breaks a cue's words into at most `maxLines` lines of at most `maxChars`, as balanced as possible. */
function breakLines(words: string[], maxChars: number): string[] {
  const text = words.join(' ');
  if (text.length <= maxChars || words.length < 2) return [text];
  // Two lines: the break that keeps the longer line shortest.
  let best = 1;
  let bestLongest = Infinity;
  for (let i = 1; i < words.length; i++) {
    const longest = Math.max(words.slice(0, i).join(' ').length, words.slice(i).join(' ').length);
    if (longest < bestLongest) {
      bestLongest = longest;
      best = i;
    }
  }
  return [words.slice(0, best).join(' '), words.slice(best).join(' ')];
}

/**
 * Groups timed words into readable subtitle cues: a new cue after a pause, or when the cue
 * would no longer fit its lines, or would stay on screen too long.
 * @param words - Timed words in order.
 * @param options - Pause, line length, lines per cue, cue duration.
 * @returns The cues.
 * @example
 * ```ts no-run
 * const srt = toSrt(splitCues((await transcriber.transcribeFile('talk.wav')).words));
 * ```
 */
export function splitCues(words: readonly Word[], options: CueOptions = {}): Cue[] {
  const pause = options.pauseSec ?? RUNTIME_DEFAULTS.cues.pauseSec;
  const maxLineChars = options.maxLineChars ?? RUNTIME_DEFAULTS.cues.maxLineChars;
  const maxLines = options.maxLines ?? RUNTIME_DEFAULTS.cues.maxLines;
  const maxCue = options.maxCueSec ?? RUNTIME_DEFAULTS.cues.maxCueSec;
  const cues: Cue[] = [];
  let current: Word[] = [];
  const flush = (): void => {
    if (current.length === 0) return;
    cues.push({
      startSec: current[0]!.startSec,
      endSec: current.at(-1)!.endSec,
      lines:
        maxLines >= 2
          ? breakLines(
              current.map((w) => w.word),
              maxLineChars,
            )
          : [current.map((w) => w.word).join(' ')],
    });
    current = [];
  };
  for (const word of words) {
    if (current.length > 0) {
      const last = current.at(-1)!;
      const candidate = [...current.map((w) => w.word), word.word];
      const lines = maxLines >= 2 ? breakLines(candidate, maxLineChars) : [candidate.join(' ')];
      const fits = lines.every((line) => line.length <= maxLineChars);
      if (word.startSec - last.endSec >= pause || !fits || word.endSec - current[0]!.startSec > maxCue) flush();
    }
    current.push(word);
  }
  flush();
  return cues;
}

function clock(sec: number, separator: ',' | '.'): string {
  const ms = Math.max(0, Math.round(sec * 1000));
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(ms % 1000, 3)}`;
}

/**
 * @param cues - Cues.
 * @returns SubRip text: numbered cues, `HH:MM:SS,mmm --> HH:MM:SS,mmm`, blank-line separated.
 */
export function toSrt(cues: readonly Cue[]): string {
  return cues
    .map((cue, i) => `${i + 1}\n${clock(cue.startSec, ',')} --> ${clock(cue.endSec, ',')}\n${cue.lines.join('\n')}\n`)
    .join('\n');
}

/**
 * @param cues - Cues.
 * @returns WebVTT text: the `WEBVTT` header, then cues with `HH:MM:SS.mmm --> HH:MM:SS.mmm`.
 */
export function toVtt(cues: readonly Cue[]): string {
  return `WEBVTT\n\n${cues.map((cue) => `${clock(cue.startSec, '.')} --> ${clock(cue.endSec, '.')}\n${cue.lines.join('\n')}\n`).join('\n')}`;
}

/**
 * NIST CTM, as sclite and the other NIST tools read it: one word per line,
 * `<file> <channel> <start> <duration> <word>` (seconds, two decimals).
 * @param file - Recording id (the file name without extension; no spaces).
 * @param words - Timed words.
 * @param channel - Channel id (default `A`).
 * @returns CTM lines.
 */
export function toCtm(file: string, words: readonly Word[], channel = 'A'): string {
  const id = file.replace(/\s+/g, '_');
  return words
    .map(
      (w) => `${id} ${channel} ${w.startSec.toFixed(2)} ${Math.max(0, w.endSec - w.startSec).toFixed(2)} ${w.word}\n`,
    )
    .join('');
}
