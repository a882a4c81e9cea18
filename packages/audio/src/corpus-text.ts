import { basename, extname } from 'node:path';
import { AudioError, type AudioErrorCode } from './errors.js';

/** Something lenient mode skipped, and why. */
export interface CorpusWarning {
  code: string;
  message: string;
  path: string;
}

/** @internal Collects problems; strict mode throws the first one, lenient mode keeps them as warnings. */
export class CorpusProblems {
  readonly warnings: CorpusWarning[] = [];
  constructor(private readonly lenient: boolean) {}

  report(code: AudioErrorCode, message: string, path: string): void {
    if (!this.lenient) {
      throw new AudioError(code, `${message} Fix it, or open the corpus in lenient mode to skip such entries.`, {
        location: path,
      });
    }
    this.warnings.push({ code, message, path });
  }
}

/** @internal One line of a LibriSpeech `*.trans.txt` file. */
export interface TransLine {
  id: string;
  transcript: string;
  /** `file:line`. */
  where: string;
}

/**
 * @internal Parses a LibriSpeech `SPEAKER-CHAPTER.trans.txt` file: `utt-id TEXT` per line, blank
 * lines skipped, a UTF-8 BOM ignored.
 * @param text - File contents.
 * @param file - Its path, for messages.
 * @param problems - Where bad lines go (`CORPUS_BAD_TRANSCRIPT`).
 * @returns The lines, in file order.
 */
export function parseTransText(text: string, file: string, problems: CorpusProblems): TransLine[] {
  const lines: TransLine[] = [];
  text
    .replace(/^\uFEFF/u, '')
    .split(/\r?\n/u)
    .forEach((raw, index) => {
      const line = raw.trim();
      if (line === '') return;
      const where = `${file}:${index + 1}`;
      const space = line.search(/\s/u);
      if (space < 0) {
        problems.report(
          'CORPUS_BAD_TRANSCRIPT',
          `${where}: line "${clip(line)}" has an utterance id but no text.`,
          where,
        );
        return;
      }
      lines.push({ id: line.slice(0, space), transcript: line.slice(space + 1).trim(), where });
    });
  return lines;
}

/** @internal One valid manifest entry, its audio path still as written. */
export interface ManifestLine {
  id: string;
  audio: string;
  transcript: string;
  durationSec?: number;
  speaker?: string;
  /** `file:line`, or `file: entry N` for a JSON array. */
  where: string;
}

/**
 * @internal Parses a manifest: JSON lines (`.jsonl`, or `.json` not starting with `[`) or a JSON
 * array (`.json`), entries `{"audio": path, "text": ..., "id"?, "duration"?, "speaker"?}` (NeMo's
 * `audio_filepath` and `duration` accepted). A UTF-8 BOM is ignored. Duplicate ids are left to the caller.
 * @param text - File contents.
 * @param path - Its path, for messages and to tell `.json` from `.jsonl`.
 * @param problems - Where bad entries go (`CORPUS_BAD_MANIFEST`).
 * @returns The valid entries, in file order.
 * @throws AsrqError `CORPUS_BAD_MANIFEST` when a JSON-array manifest is not valid JSON.
 */
export function parseManifestText(text: string, path: string, problems: CorpusProblems): ManifestLine[] {
  const body = text.replace(/^\uFEFF/u, '');
  const raw: Array<{ entry: unknown; where: string }> = [];
  if (extname(path).toLowerCase() === '.json' && body.trimStart().startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (error) {
      throw new AudioError('CORPUS_BAD_MANIFEST', `${path}: not valid JSON (${(error as Error).message}).`, {
        location: path,
        cause: error,
      });
    }
    if (!Array.isArray(parsed))
      throw new AudioError('CORPUS_BAD_MANIFEST', `${path}: expected a JSON array of entries.`, { location: path });
    parsed.forEach((entry: unknown, i) => raw.push({ entry, where: `${path}: entry ${i + 1}` }));
  } else {
    body.split(/\r?\n/u).forEach((line, index) => {
      if (line.trim() === '') return;
      const where = `${path}:${index + 1}`;
      try {
        raw.push({ entry: JSON.parse(line), where });
      } catch (error) {
        problems.report('CORPUS_BAD_MANIFEST', `${where}: not valid JSON (${(error as Error).message}).`, where);
      }
    });
  }
  const lines: ManifestLine[] = [];
  for (const { entry, where } of raw) {
    const line = manifestLine(entry, where, problems);
    if (line) lines.push(line);
  }
  return lines;
}

function manifestLine(entry: unknown, where: string, problems: CorpusProblems): ManifestLine | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    problems.report(
      'CORPUS_BAD_MANIFEST',
      `${where}: each entry must be a JSON object with a string "audio" (path) and a string "text".`,
      where,
    );
    return undefined;
  }
  const e = entry as Record<string, unknown>;
  const audio = e.audio ?? e.audio_filepath;
  const text = e.text ?? e.transcript;
  if (typeof audio !== 'string' || audio === '' || typeof text !== 'string') {
    problems.report(
      'CORPUS_BAD_MANIFEST',
      `${where}: each entry needs a string "audio" (path) and a string "text".`,
      where,
    );
    return undefined;
  }
  if (e.id !== undefined && typeof e.id !== 'string' && typeof e.id !== 'number') {
    problems.report(
      'CORPUS_BAD_MANIFEST',
      `${where}: "id" must be a string or a number (got ${JSON.stringify(e.id)}).`,
      where,
    );
    return undefined;
  }
  const id = e.id === undefined ? basename(audio, extname(audio)) : String(e.id);
  const line: ManifestLine = { id, audio, transcript: text.trim(), where };
  const durationKey = e.durationSec !== undefined ? 'durationSec' : 'duration';
  const duration = e[durationKey];
  if (duration !== undefined && duration !== null) {
    if (typeof duration !== 'number' || !Number.isFinite(duration) || duration < 0) {
      problems.report(
        'CORPUS_BAD_MANIFEST',
        `${where}: "${durationKey}" must be a number of seconds >= 0 (got ${clip(JSON.stringify(duration))}); fix it or leave the field out.`,
        where,
      );
      return undefined;
    }
    line.durationSec = duration;
  }
  if (typeof e.speaker === 'string') line.speaker = e.speaker;
  return line;
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
