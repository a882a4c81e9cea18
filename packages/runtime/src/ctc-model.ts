import { stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { LogProbs } from '@asrq/ctc';
import { modelDiskSize } from '@asrq/onnx';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { readModelCompanions } from './companions.js';
import { buildFeeds, silentFeatureFeeds, supportsPadding } from './feeds.js';
import { fitOutputLength, type OutputLengthFn } from './output-length.js';
import { discoverModelInfo, type ModelInfo, type ModelInfoOverrides } from './model-info.js';
import { readOnnxMetadata } from './onnx-metadata.js';
import { scoresToLogProbs, type NormalizationState } from './scores-to-log-probs.js';
import { openSession, type SessionSettings } from './session.js';
import { RuntimeError } from './errors.js';

export type { SessionSettings } from './session.js';

/** One model forward pass over a batch. */
export interface ForwardResult {
  /** One log-prob matrix per input row, trimmed to that row's valid frames. */
  logProbs: LogProbs[];
  /** Wall time of `session.run` alone, in seconds: the encoder time RTF is measured on. */
  encoderSec: number;
}

/** Options of {@link CtcModel.load}. */
export interface LoadModelOptions {
  session?: SessionSettings;
  overrides?: ModelInfoOverrides;
  /**
   * Further folders to read the model's configuration files from (preprocessor_config.json,
   * model_config.yaml) when none sit beside it, e.g. the float model's folder for a quantized copy.
   */
  companionDirs?: readonly string[];
}

/**
 * An ONNX CTC speech model running in onnxruntime-node: raw audio in, per-frame
 * log-probabilities out. Handles both asrq's two-input form and transformers' single-input
 * form, pads batches, trims each row to its valid frames and turns logits into log-probs.
 *
 * @example
 * ```ts
 * const model = await CtcModel.load('model.onnx');
 * const { logProbs, encoderSec } = await model.forward([audio16k]);
 * await model.release();
 * ```
 */
export class CtcModel {
  /** Model file path. */
  readonly path: string;
  /** Discovered interface. */
  readonly info: ModelInfo;
  /** Bytes of the .onnx file itself; {@link CtcModel.diskBytes} adds external-data files. */
  readonly sizeBytes: number;
  /** Seconds taken to create the onnxruntime session. */
  readonly loadSec: number;
  /** Session settings in effect. */
  readonly settings: Readonly<Required<Pick<SessionSettings, 'threads' | 'graphOptimizationLevel' | 'executionMode'>>>;
  private readonly session: InferenceSession;
  private readonly normalization: NormalizationState = { normalized: undefined };
  private minimum: number | undefined;
  /** Undefined until learned; null when the model's output length showed no period (proportional estimate). */
  private outputLength: OutputLengthFn | null | undefined;

  private constructor(
    path: string,
    session: InferenceSession,
    info: ModelInfo,
    sizeBytes: number,
    loadSec: number,
    settings: CtcModel['settings'],
  ) {
    this.path = path;
    this.session = session;
    this.info = info;
    this.sizeBytes = sizeBytes;
    this.loadSec = loadSec;
    this.settings = settings;
  }

  /**
   * Loads a model and discovers its interface.
   * @param path - ONNX file.
   * @param options - Session settings and discovery overrides.
   * @returns The loaded model.
   * @throws AsrqError `RUNTIME_MODEL_NOT_FOUND`, `RUNTIME_BAD_MODEL` (onnxruntime refused it), `RUNTIME_UNSUPPORTED_MODEL`.
   */
  static async load(path: string, options: LoadModelOptions = {}): Promise<CtcModel> {
    const info = await stat(path).catch((cause: unknown) => {
      throw new RuntimeError(
        'RUNTIME_MODEL_NOT_FOUND',
        `Model file ${path} does not exist or cannot be read. Check the --model path.`,
        { cause },
      );
    });
    if (!info.isFile())
      throw new RuntimeError('RUNTIME_MODEL_NOT_FOUND', `${path} is not a file. Pass the path of an .onnx model.`);
    const metadata = await readOnnxMetadata(path);
    const { session, loadSec, settings } = await openSession(path, options.session);
    let discovered: ModelInfo;
    try {
      const companions = await readModelCompanions(path, options.companionDirs);
      discovered = discoverModelInfo(
        path,
        session.inputMetadata,
        session.outputMetadata,
        metadata,
        options.overrides,
        companions,
      );
    } catch (error) {
      await session.release();
      throw error;
    }
    return new CtcModel(path, session, discovered, info.size, loadSec, {
      threads: settings.threads,
      graphOptimizationLevel: settings.graphOptimizationLevel,
      executionMode: settings.executionMode,
    });
  }

  /**
   * Bytes the model takes on disk: the .onnx file plus every external-data file it points to.
   * Kept out of `load` because finding the external files means parsing the graph.
   * @returns Total bytes.
   */
  async diskBytes(): Promise<number> {
    return (await modelDiskSize(this.path)).bytes;
  }

  /**
   * Whether rows of different lengths can share one batch: true when the model takes lengths
   * or an attention mask (whether its scores are unaffected by padding is another matter).
   */
  get supportsPadding(): boolean {
    return supportsPadding(this.info);
  }

  /**
   * Builds the onnxruntime feeds for a batch of waveforms; see {@link buildFeeds}.
   * @param batch - Waveforms at the model's sample rate.
   * @returns Input name -> tensor.
   */
  buildFeeds(batch: readonly Float32Array[]): Record<string, Tensor> {
    return buildFeeds(this.info, batch, this.path);
  }

  /**
   * Runs the session on prepared feeds and times it.
   * @param feeds - From {@link CtcModel.buildFeeds}.
   * @returns onnxruntime's outputs and the wall time of the run in seconds.
   * @throws AsrqError `RUNTIME_RUN_FAILED` naming the model and the input shape when onnxruntime fails.
   */
  async run(
    feeds: Record<string, Tensor>,
  ): Promise<{ outputs: InferenceSession.OnnxValueMapType; encoderSec: number }> {
    // Learned before the first timed run, not at load: inspect and features never need it.
    if (this.outputLength === undefined && this.info.form === 'features' && !this.info.lengthsOutput)
      await this.learnOutputLength();
    const started = performance.now();
    let outputs: InferenceSession.OnnxValueMapType;
    try {
      outputs = await this.session.run(feeds);
    } catch (cause) {
      const input = feeds[this.info.audioInput];
      throw new RuntimeError(
        'RUNTIME_RUN_FAILED',
        `onnxruntime failed to run ${this.path} on input "${this.info.audioInput}" [${input?.dims.join(', ') ?? '?'}]: ${String((cause as Error).message ?? cause).split('\n')[0]}. ` +
          'Some exports only take inputs up to a fixed length (a positional table baked in at export): transcribe in shorter windows with --chunk-sec (e.g. --chunk-sec 10 --stride-sec 2).',
        { cause },
      );
    }
    return { outputs, encoderSec: (performance.now() - started) / 1000 };
  }

  /**
   * Runs a batch of waveforms and returns per-row log-probs.
   * @param batch - Waveforms at the model's sample rate.
   * @returns Log-probs per row and the encoder time.
   * @throws AsrqError `RUNTIME_BAD_OUTPUT` when the scores are not [batch, frames, vocab].
   */
  async forward(batch: readonly Float32Array[]): Promise<ForwardResult> {
    const rows = await this.padShort(batch);
    const feeds = this.buildFeeds(rows);
    const { outputs, encoderSec } = await this.run(feeds);
    return { logProbs: this.readLogProbs(outputs, rows), encoderSec };
  }

  /**
   * The fewest samples this model can run on (its convolutions' receptive field, or the front
   * end's analysis window). Found once, on first need, by running the model on silence of
   * doubling then bisected lengths; cached.
   * @returns The minimum length in samples.
   * @throws AsrqError `RUNTIME_BAD_MODEL` when the model runs on no length up to 4 seconds.
   */
  async minSamples(): Promise<number> {
    if (this.minimum !== undefined) return this.minimum;
    const limit = this.info.sampleRate * 4;
    let hi = Math.max(1, this.info.frontEnd.minSamples);
    while (!(await this.acceptsLength(hi))) {
      if (hi >= limit) {
        throw new RuntimeError(
          'RUNTIME_BAD_MODEL',
          `${this.path} produced no output frames for any input up to 4 s of silence. Check that it is a CTC speech model and that its front end (${this.info.frontEnd.name}) fits it.`,
        );
      }
      hi = Math.min(limit, hi * 2);
    }
    let lo = Math.max(0, this.info.frontEnd.minSamples - 1);
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (await this.acceptsLength(mid)) hi = mid;
      else lo = mid;
    }
    this.minimum = hi;
    return hi;
  }

  /** For feature models without a lengths output: learn their input-to-output frame arithmetic (see {@link fitOutputLength}). */
  private async learnOutputLength(): Promise<void> {
    this.outputLength =
      (await fitOutputLength(async (frames) => {
        try {
          const outputs = await this.session.run(silentFeatureFeeds(this.info, frames, this.path), {
            logSeverityLevel: 4,
          });
          const scores = outputs[this.info.scoresOutput] as Tensor | undefined;
          return scores?.dims.length === 3 ? (scores.dims[1] ?? 0) : 0;
        } catch {
          return 0;
        }
      })) ?? null;
  }

  private async acceptsLength(samples: number): Promise<boolean> {
    if (samples < this.info.frontEnd.minSamples) return false;
    try {
      // Failures are expected while probing: keep onnxruntime's error log quiet (fatal only).
      const outputs = await this.session.run(this.buildFeeds([new Float32Array(samples)]), { logSeverityLevel: 4 });
      const scores = outputs[this.info.scoresOutput] as Tensor | undefined;
      return scores !== undefined && scores.dims.length === 3 && (scores.dims[1] ?? 0) > 0;
    } catch {
      return false;
    }
  }

  /**
   * Pads rows shorter than the model can take ({@link CtcModel.minSamples}) with silence, so a clip
   * of a few samples transcribes as nothing instead of crashing. {@link CtcModel.forward} does this
   * itself; callers that use {@link CtcModel.buildFeeds} and {@link CtcModel.run} directly call it first.
   * @param batch - Waveforms at the model's sample rate.
   * @returns The same rows, short ones replaced by padded copies.
   */
  async padShort(batch: readonly Float32Array[]): Promise<readonly Float32Array[]> {
    // Below a second of audio, check against the model's real minimum (probed once).
    const suspect = batch.some((row) => row.length > 0 && row.length < this.info.sampleRate);
    if (!suspect) return batch;
    const min = await this.minSamples();
    return batch.map((row) => {
      if (row.length === 0 || row.length >= min) return row;
      const padded = new Float32Array(min);
      padded.set(row);
      return padded;
    });
  }

  /**
   * Extracts per-row log-probs from a run's outputs.
   * @param outputs - What {@link CtcModel.run} returned.
   * @param batch - The waveforms that were fed (their lengths decide padded rows' frame counts when the model reports none).
   * @returns One matrix per row.
   */
  readLogProbs(outputs: InferenceSession.OnnxValueMapType, batch: readonly Float32Array[]): LogProbs[] {
    const scores = outputs[this.info.scoresOutput] as Tensor | undefined;
    const lengths = this.info.lengthsOutput
      ? (outputs[this.info.lengthsOutput]?.data as BigInt64Array | Int32Array | undefined)
      : undefined;
    return scoresToLogProbs(
      this.info,
      this.path,
      scores,
      lengths,
      batch,
      this.outputLength ?? undefined,
      this.normalization,
    );
  }

  /** Frees the onnxruntime session. */
  async release(): Promise<void> {
    await this.session.release();
  }
}
