/**
 * Features of one utterance, row-major `[frames, dim]`. For waveform front ends `dim` is 1 and
 * `frames` is the number of samples.
 */
export interface FeatureMatrix {
  /** `frames * dim` values, frame after frame. */
  data: Float32Array;
  /** Number of rows (frames, or samples for waveform front ends). */
  frames: number;
  /** Values per row. */
  dim: number;
}

/** `waveform`: the output feeds a `[batch, samples]` audio input; `features`: a feature-matrix input. */
export type FrontEndKind = 'waveform' | 'features';

/**
 * A configured front end: turns audio in [-1, 1] at {@link FrontEnd.sampleRate} into what a
 * model's input expects. Instances keep reusable work buffers, so one instance must not be used
 * from two places at once (JavaScript is single threaded, so this only matters for re-entrancy).
 */
export interface FrontEnd<C = Record<string, unknown>> {
  /** Registry name: 'raw', 'hf-normalize', 'kaldi-fbank', 'nemo-mel', ... */
  readonly name: string;
  /** What the output feeds. */
  readonly kind: FrontEndKind;
  /** The fully resolved config (defaults filled in), JSON-serialisable. */
  readonly config: Readonly<C>;
  /** Sample rate the input must have, in Hz. */
  readonly sampleRate: number;
  /** Feature dimension (1 for waveform kinds). */
  readonly dim: number;
  /** Samples per output frame (1 for waveform kinds). */
  readonly hopSamples: number;
  /** Fewest input samples giving at least one frame (1 for waveform kinds). */
  readonly minSamples: number;
  /**
   * When set, the model was trained on features whose time axis was padded to a multiple of this
   * (NeMo's `pad_to`); the runtime pads the feed, {@link FrontEnd.compute} returns only valid frames.
   */
  readonly padFramesTo?: number;
  /** Value of padding frames: NeMo's `pad_value`, or what a batch of shorter utterances is padded with (lhotse: log(1e-10)). */
  readonly padValue?: number;
  /**
   * Frames {@link FrontEnd.compute} returns for this many samples.
   * @param samples - Input length in samples.
   */
  frameCount(samples: number): number;
  /**
   * Frames of the feature tensor the reference pipeline feeds for this many samples, when more
   * than {@link FrontEnd.frameCount}: NeMo's STFT gives one frame past its `seq_len`, masked
   * with `pad_value`, and the model sees it. The runtime feeds this many, the extra ones
   * filled with {@link FrontEnd.padValue}, and passes `frameCount` as the length.
   * @param samples - Input length in samples.
   */
  tensorFrameCount?(samples: number): number;
  /**
   * Computes the features of one utterance.
   * @param audio - Mono samples in [-1, 1] at {@link FrontEnd.sampleRate}.
   * @param out - Optional output buffer of at least `frameCount(audio.length) * dim` values; reused when given.
   * @returns The features; `data` is `out` (or a view of it) when `out` was given.
   */
  compute(audio: Float32Array, out?: Float32Array): FeatureMatrix;
}

/**
 * A kind of front end the registry can build.
 * @typeParam C - Its config object (camelCase keys).
 */
export interface FrontEndDefinition<C> {
  /** Registry name. */
  readonly name: string;
  /** One line saying what it computes and what it equals. */
  readonly description: string;
  /** What its output feeds. */
  readonly kind: FrontEndKind;
  /** The config used for keys a partial config leaves out. */
  readonly defaults: Readonly<C>;
  /**
   * Validates a partial config (from JSON, YAML or the command line) and fills in defaults.
   * @param partial - An object with a subset of the config's keys, or undefined for the defaults.
   * @param source - Where it came from (file path, `--frontend-config`), named in errors.
   * @returns The full config.
   * @throws AsrqError `FRONTEND_BAD_CONFIG` for unknown keys or bad values, naming key, source and allowed values.
   */
  resolveConfig(partial: unknown, source: string): C;
  /**
   * Builds a front end.
   * @param config - A full config, as {@link FrontEndDefinition.resolveConfig} returns it.
   * @returns The front end.
   */
  create(config: C): FrontEnd<C>;
}
