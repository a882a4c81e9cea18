/** Decoded audio before any conversion. channels[c] is one channel's samples in [-1, 1]. */
export interface DecodedAudio {
  sampleRate: number;
  channels: Float32Array[];
  bitsPerSample?: number;
  format: AudioFormatName;
}

/**
 * Names of the audio formats asrq reads. A new format adds its name here, its file in
 * `src/formats/` and one line in `format-registry.ts`.
 */
export type AudioFormatName = 'wav' | 'flac';

/** What `probeAudio` reads from a header. */
export interface AudioInfo {
  sampleRate: number;
  channels: number;
  durationSec: number;
  format: AudioFormatName;
}

/** An audio file opened for reading block by block: mono samples at the requested rate. */
export interface AudioStream {
  /** Rate of the samples `blocks()` yields. */
  sampleRate: number;
  /** Rate of the file. */
  sourceRate: number;
  /** Channels in the file (they are mixed to mono). */
  channels: number;
  format: AudioFormatName;
  /** Samples `blocks()` yields in total (when the file states its length; otherwise undefined). */
  length: number | undefined;
  /**
   * Mono blocks at `sampleRate`, in order. Together they equal `readAudio`'s result sample for
   * sample. WAV blocks are read and decoded as they are asked for; FLAC decoding is synchronous,
   * so its blocks are all produced before the first is yielded (use {@link AudioStream.forEachBlock}
   * to consume FLAC without holding them). Use either this or `forEachBlock`, once.
   */
  blocks(): AsyncGenerator<Float32Array>;
  /**
   * Hands every mono block at `sampleRate` to `write` as soon as it is decoded, in order.
   * @param write - Called once per block; the block is not reused afterwards.
   */
  forEachBlock(write: (block: Float32Array) => void): Promise<void>;
}

/** Options of `openAudioStream`. */
export interface AudioStreamOptions {
  /** Output rate in Hz (default 16000). */
  sampleRate?: number;
  /** Source frames decoded per block (default 65536, about 4 s at 16 kHz). */
  blockFrames?: number;
}

/**
 * Random access to an open audio file. The Node entry points (`probeAudio`, `openAudioStream`)
 * hand one to a format, so format files use no Node API and stay browser-safe. Its methods
 * throw what the file system throws; callers map that with `fileError`.
 */
export interface AudioFileReader {
  /** The file's path, named in errors. */
  readonly path: string;
  /** Size in bytes when opened. */
  readonly size: number;
  /**
   * Reads bytes at a file position.
   * @param into - Destination.
   * @param offset - Where in `into` to start writing.
   * @param length - Bytes wanted.
   * @param position - File position to read from.
   * @returns Bytes read (fewer than `length` at the end of the file).
   */
  read(into: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  /** @returns The whole file. */
  readAll(): Promise<Uint8Array>;
  /** Closes the file. */
  close(): Promise<void>;
}

/** How a format opens its file again later (e.g. a WAV stream for each `blocks()` call); errors are already mapped to `AUDIO_*`. */
export type ReopenAudioFile = () => Promise<AudioFileReader>;

/** Settled options of a format's stream. */
export interface FormatStreamOptions {
  /** Output rate in Hz. */
  sampleRate: number;
  /** Source frames decoded per block (at least 1). */
  blockFrames: number;
}

/**
 * One audio format: how to recognise it, decode it whole, and (optionally) probe its header and
 * stream it block by block. Formats are registered in `format-registry.ts`; `decodeAudio`,
 * `probeAudio`, `openAudioStream` and corpus listing ask the registry, never a format directly.
 * @example
 * ```ts no-run
 * export const myFormat: AudioFormat = { name: 'wav', extensions: ['.wav'], preferredInCorpus: false, sniff, decode };
 * ```
 */
export interface AudioFormat {
  /** Format name, as `DecodedAudio.format` reports it. */
  readonly name: AudioFormatName;
  /** File name extensions a corpus folder lists as this format (lower case, with the dot). */
  readonly extensions: readonly string[];
  /**
   * When a corpus folder holds one utterance in several formats: a file of a preferred format
   * replaces one listed before it (FLAC, the LibriSpeech original); other formats only fill a gap.
   */
  readonly preferredInCorpus: boolean;
  /**
   * Whether a file's first bytes belong to this format (its magic bytes, not its name).
   * @param head - The file's first bytes (up to 64 KiB).
   */
  sniff(head: Uint8Array): boolean;
  /**
   * Decodes the whole file.
   * @param bytes - The file.
   * @param name - File name for error messages.
   * @returns The decoded audio.
   * @throws AsrqError `AUDIO_*` naming the file.
   */
  decode(bytes: Uint8Array, name: string): DecodedAudio;
  /**
   * Reads rate, channels and duration from the header without decoding the samples. Without
   * it, `probeAudio` decodes the whole file.
   * @param file - The open file.
   * @param head - Its first bytes (up to 64 KiB).
   */
  probe?(file: AudioFileReader, head: Uint8Array): Promise<AudioInfo>;
  /**
   * Opens a block-by-block stream of mono samples at `options.sampleRate`. Without it,
   * `openAudioStream` decodes the whole file and streams that.
   * @param file - The open file, closed by the caller once this returns.
   * @param head - Its first bytes (up to 64 KiB).
   * @param options - Output rate and block size.
   * @param reopen - Opens the file again, for reading after `file` is closed.
   */
  openStream?(
    file: AudioFileReader,
    head: Uint8Array,
    options: FormatStreamOptions,
    reopen: ReopenAudioFile,
  ): Promise<AudioStream>;
}
