import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { AsrqError, decodeUtf8, errorCode, throwIfAborted } from '@asrq/core';
import { audioFormatOfExtension } from './format-registry.js';
import { probeAudio, readAudio } from './read-audio.js';
import { CorpusProblems as Problems, parseManifestText, parseTransText, type CorpusWarning } from './corpus-text.js';
import type { CorpusItem } from './select-items.js';
import { AudioError, type AudioErrorCode } from './errors.js';

export type { CorpusWarning } from './corpus-text.js';

/** A listed corpus: transcripts and audio paths, no audio decoded. */
export interface Corpus {
  /** Directory or manifest path. */
  readonly root: string;
  readonly kind: 'librispeech' | 'manifest';
  /** Sorted by id. */
  readonly items: readonly CorpusItem[];
  /** What lenient mode skipped (empty in strict mode). */
  readonly warnings: readonly CorpusWarning[];
}

/** Options of {@link openCorpus}. */
export interface OpenCorpusOptions {
  /** Skip bad entries and report them in `warnings` instead of throwing. */
  lenient?: boolean;
  /** Read every file's header to fill `durationSec` (needed to filter by duration). */
  probeDurations?: boolean;
  signal?: AbortSignal;
}

async function walk(dir: string, visit: (dir: string, entries: Dirent[]) => void, signal?: AbortSignal): Promise<void> {
  throwIfAborted(signal);
  const entries = await readdir(dir, { withFileTypes: true });
  visit(dir, entries);
  // Hidden directories hold partial downloads and extraction temp dirs, never corpus data.
  const subdirs = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => join(dir, e.name));
  for (const sub of subdirs.sort()) await walk(sub, visit, signal);
}

/** What a walk of a LibriSpeech-layout tree finds: transcript files, and audio files by directory and utterance id. */
interface LibriSpeechFiles {
  transcripts: string[];
  audioByDir: Map<string, Map<string, string>>;
  /** Audio files of an utterance that already has one (`x.wav` beside `x.flac`): the one kept and the other. */
  twins: Array<{ id: string; kept: string; other: string }>;
}

async function findLibriSpeechFiles(root: string, signal?: AbortSignal): Promise<LibriSpeechFiles> {
  const transcripts: string[] = [];
  const audioByDir = new Map<string, Map<string, string>>();
  const twins: LibriSpeechFiles['twins'] = [];
  await walk(
    root,
    (dir, entries) => {
      for (const entry of entries) {
        if (!entry.isFile()) continue;
        if (entry.name.endsWith('.trans.txt')) transcripts.push(join(dir, entry.name));
        const format = audioFormatOfExtension(extname(entry.name));
        if (format) {
          let audio = audioByDir.get(dir);
          if (!audio) {
            audio = new Map();
            audioByDir.set(dir, audio);
          }
          const id = basename(entry.name, extname(entry.name));
          const path = join(dir, entry.name);
          const earlier = audio.get(id);
          // FLAC wins over a WAV copy of the same utterance; the pair is reported (listLibriSpeech).
          if (earlier === undefined || format.preferredInCorpus) audio.set(id, path);
          if (earlier !== undefined)
            twins.push({ id, kept: audio.get(id)!, other: earlier === audio.get(id) ? path : earlier });
        }
      }
    },
    signal,
  );
  return { transcripts, audioByDir, twins };
}

async function listLibriSpeech(root: string, problems: Problems, signal?: AbortSignal): Promise<CorpusItem[]> {
  const { transcripts, audioByDir, twins } = await findLibriSpeechFiles(root, signal);
  if (transcripts.length === 0) {
    throw new AudioError(
      'CORPUS_EMPTY',
      `${root}: no *.trans.txt transcript files found, so this is not a LibriSpeech-layout directory (SPEAKER/CHAPTER/SPEAKER-CHAPTER.trans.txt). For other corpora pass a .jsonl manifest.`,
      { location: root },
    );
  }
  const items: CorpusItem[] = [];
  const used = new Set<string>();
  const seen = new Map<string, string>();
  for (const file of transcripts.sort()) {
    const dir = dirname(file);
    const audio = audioByDir.get(dir);
    const text = decodeUtf8(await readFile(file), file, errorCode(AudioError, 'CORPUS_BAD_TRANSCRIPT'));
    for (const { id, transcript, where } of parseTransText(text, file, problems)) {
      const audioPath = audio?.get(id);
      if (audioPath === undefined) {
        problems.report(
          'CORPUS_MISSING_AUDIO',
          `${where}: utterance ${id} has no audio file (${join(dir, `${id}.flac`)} is missing).`,
          where,
        );
        continue;
      }
      const previous = seen.get(id);
      if (previous !== undefined) {
        problems.report(
          'CORPUS_DUPLICATE_ID',
          `${where}: utterance id ${id} was already listed in ${previous}.`,
          where,
        );
        continue;
      }
      seen.set(id, where);
      used.add(audioPath);
      items.push(libriSpeechItem(id, audioPath, transcript));
    }
  }
  for (const { id, kept, other } of twins) {
    if (!seen.has(id)) continue; // reported as missing a transcript below
    problems.report(
      'CORPUS_DUPLICATE_ID',
      `${kept} and ${other} are two audio files for utterance ${id} (which one is meant?). Keep one of them; lenient mode uses ${kept}.`,
      other,
    );
  }
  for (const audio of audioByDir.values()) {
    for (const path of audio.values()) {
      if (!used.has(path)) {
        problems.report(
          'CORPUS_MISSING_TRANSCRIPT',
          `${path}: audio file has no line in any *.trans.txt of its directory.`,
          path,
        );
      }
    }
  }
  return items;
}

/** An item whose id `SPEAKER-CHAPTER-UTTERANCE` names its speaker and chapter. */
function libriSpeechItem(id: string, audioPath: string, transcript: string): CorpusItem {
  const parts = id.split('-');
  const item: CorpusItem = { id, audioPath, transcript };
  if (parts.length === 3) {
    item.speaker = parts[0]!;
    item.chapter = parts[1]!;
  }
  return item;
}

async function listManifest(path: string, problems: Problems): Promise<CorpusItem[]> {
  const base = dirname(path);
  const text = decodeUtf8(await readFile(path), path, errorCode(AudioError, 'CORPUS_BAD_MANIFEST'));
  const entries = parseManifestText(text, path, problems);
  const candidates: { item: CorpusItem; where: string }[] = [];
  const seen = new Map<string, string>();
  for (const { id, audio, transcript, durationSec, speaker, where } of entries) {
    if (seen.has(id)) {
      problems.report(
        'CORPUS_DUPLICATE_ID',
        `${where}: id ${id} was already used at ${seen.get(id)}; give entries unique "id" fields.`,
        where,
      );
      continue;
    }
    seen.set(id, where);
    const item: CorpusItem = { id, audioPath: resolve(base, audio), transcript };
    if (durationSec !== undefined) item.durationSec = durationSec;
    if (speaker !== undefined) item.speaker = speaker;
    candidates.push({ item, where });
  }
  // Why each entry's audio cannot be used, or undefined when it is a file.
  const unusable = await mapLimited(candidates, 16, async ({ item }) => {
    const info = await stat(item.audioPath).catch(() => undefined);
    if (info === undefined) return 'does not exist';
    if (info.isDirectory()) return 'is a directory, not an audio file';
    return info.isFile() ? undefined : 'is not a regular file';
  });
  const items: CorpusItem[] = [];
  candidates.forEach(({ item, where }, i) => {
    const why = unusable[i];
    if (why === undefined) items.push(item);
    else problems.report('CORPUS_MISSING_AUDIO', `${where}: audio file ${item.audioPath} ${why}.`, where);
  });
  return items;
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Lists a corpus without decoding any audio. A directory is read as LibriSpeech layout
 * (searched recursively, so `LibriSpeech/` and `LibriSpeech/dev-clean/` both work); a
 * `.jsonl` / `.json` file as a manifest of `{"audio": path, "text": ..., "id"?, "duration"?}`
 * entries (NeMo's `audio_filepath` is accepted too; relative paths resolve against the
 * manifest's directory).
 *
 * @param path - Corpus directory or manifest file.
 * @param options - `lenient` (skip bad entries with warnings), `probeDurations` (fill
 *   `durationSec` from the headers), `signal`.
 * @returns The corpus listing, items sorted by id.
 * @throws AsrqError `CORPUS_NOT_FOUND`, `CORPUS_EMPTY`, and in strict mode `CORPUS_MISSING_AUDIO`,
 *   `CORPUS_MISSING_TRANSCRIPT`, `CORPUS_BAD_TRANSCRIPT`, `CORPUS_BAD_MANIFEST`, `CORPUS_DUPLICATE_ID`
 *   and the `AUDIO_*` errors of unreadable files when probing, each naming the file (and line).
 * @example
 * ```ts
 * const corpus = await openCorpus('data/LibriSpeech/dev-clean', { probeDurations: true });
 * const first100 = selectItems(corpus.items, { offset: 10, n: 100 });
 * ```
 */
export async function openCorpus(path: string, options: OpenCorpusOptions = {}): Promise<Corpus> {
  const root = resolve(path);
  const problems = new Problems(options.lenient === true);
  let kind: Corpus['kind'];
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(root);
  } catch (error) {
    throw new AudioError(
      'CORPUS_NOT_FOUND',
      `${root}: no such corpus directory or manifest. Download one with downloadLibriSpeech('dev-clean', { to }) (CLI: asrq data download dev-clean --to <dir>) or check the path.`,
      { location: root, cause: error },
    );
  }
  let items: CorpusItem[];
  if (info.isDirectory()) {
    kind = 'librispeech';
    items = await listLibriSpeech(root, problems, options.signal);
  } else if (['.jsonl', '.json'].includes(extname(root).toLowerCase())) {
    kind = 'manifest';
    items = await listManifest(root, problems);
  } else {
    throw new AudioError(
      'CORPUS_NOT_FOUND',
      `${root}: expected a LibriSpeech-layout directory or a .jsonl/.json manifest.`,
      { location: root },
    );
  }
  if (options.probeDurations) {
    const probed = await mapLimited(items, 8, async (item) => {
      throwIfAborted(options.signal);
      if (item.durationSec !== undefined) return true;
      try {
        item.durationSec = (await probeAudio(item.audioPath)).durationSec;
        return true;
      } catch (error) {
        if (!AsrqError.isInstance(error)) throw error;
        problems.report(error.code as AudioErrorCode, error.message, item.audioPath);
        return false;
      }
    });
    items = items.filter((_, i) => probed[i]);
  }
  if (items.length === 0) {
    const skipped = problems.warnings.length > 0 ? ` (${problems.warnings.length} entries skipped; see warnings)` : '';
    throw new AudioError('CORPUS_EMPTY', `${root}: the corpus has no usable utterances${skipped}.`, { location: root });
  }
  items.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { root, kind, items, warnings: problems.warnings };
}

/**
 * Decodes corpus audio lazily, one item at a time, so a 2,700-utterance split never sits in
 * memory at once.
 *
 * @param items - Items to load, e.g. from {@link selectItems}.
 * @param options - `sampleRate` (default 16000), `signal`.
 * @returns An async iterator of `{ item, samples }` (mono, resampled).
 * @throws AsrqError from {@link readAudio} for unreadable files, `ABORTED` when cancelled.
 * @example
 * ```ts
 * for await (const { item, samples } of iterateAudio(corpus.items)) run(item.id, samples);
 * ```
 */
export async function* iterateAudio(
  items: Iterable<CorpusItem>,
  options: { sampleRate?: number; signal?: AbortSignal } = {},
): AsyncGenerator<{ item: CorpusItem; samples: Float32Array }> {
  for (const item of items) {
    throwIfAborted(options.signal);
    const samples = await readAudio(
      item.audioPath,
      options.sampleRate === undefined ? {} : { sampleRate: options.sampleRate },
    );
    yield { item, samples };
  }
}
