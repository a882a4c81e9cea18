import type { LogProbs } from '@asrq/ctc/browser';
import type { InferenceSession } from 'onnxruntime-common';
import type { ModelCompanions } from './families/family.js';
import { getModelFamily } from './families/registry.js';
import { buildFeedsWith, silentFeatureFeedsWith, supportsPadding, type TensorFactory } from './feeds-core.js';
import { discoverModelInfo } from './model-info.js';
import type { ModelInfo, ModelInfoOverrides } from './types.js';
import { fitOutputLength, type OutputLengthFn } from './output-length.js';
import { scoresToLogProbs, type NormalizationState, type ScoresTensor } from './scores-to-log-probs.js';
import { AsrqRuntimeError } from './errors.js';

/** One model forward pass over a batch. */
export interface ForwardResult {
  /** One log-prob matrix per input row, trimmed to that row's valid frames. */
  logProbs: LogProbs[];
  /** Wall time of `session.run` alone, in seconds: the encoder time RTF is measured on. */
  encoderSec: number;
}

/**
 * The session calls the model core makes: onnxruntime-node's and onnxruntime-web's
 * `InferenceSession` both fit.
 * @typeParam T - The runtime's tensor type.
 * @typeParam O - What its `run` returns.
 */
export interface CoreSession<T, O> {
  readonly inputMetadata: readonly InferenceSession.ValueMetadata[];
  readonly outputMetadata: readonly InferenceSession.ValueMetadata[];
  run(feeds: Record<string, T>, options?: { logSeverityLevel?: 0 | 1 | 2 | 3 | 4 }): Promise<O>;
  release(): Promise<void>;
}

/** Which onnxruntime a model core runs on: its name (for messages) and how it makes tensors. */
export interface OrtFlavour<T> {
  /** `onnxruntime-node` or `onnxruntime-web`. */
  readonly name: string;
  /** Makes one input tensor. */
  readonly tensor: TensorFactory<T>;
}

/** What discovery needs besides the session: the model's metadata, companion files and overrides. */
export interface CoreDiscovery {
  metadata: Record<string, string>;
  companions?: ModelCompanions;
  overrides?: ModelInfoOverrides;
}

/** The first line of an error's message. */
function firstLine(cause: unknown): string {
  return String((cause as Error)?.message ?? cause).split('\n')[0]!;
}

/**
 * A CTC model on one onnxruntime session, whichever onnxruntime it is (Node's native one or the
 * browser's WebAssembly one): discovery (the session released when it fails), feeds, the timed
 * run with its errors wrapped, log-prob extraction, output-length learning, the minimum input
 * length (short clips padded), and the frame hop long audio is windowed by. `CtcModel`
 * (onnxruntime-node) and `WebCtcModel` (onnxruntime-web) add only how a model is loaded.
 * @typeParam T - The runtime's tensor type.
 * @typeParam O - What its session's `run` returns.
 */
export class ModelCore<T, O extends Record<string, unknown>> {
  /** Name used in messages: the model's path, or the name given to the web loader. */
  readonly name: string;
  /** Discovered interface. */
  readonly info: ModelInfo;
  private readonly session: CoreSession<T, O>;
  private readonly flavour: OrtFlavour<T>;
  private readonly normalization: NormalizationState = { normalized: undefined };
  private minimum: number | undefined;
  private hop: number | undefined;
  /** Undefined until learned; null when the model's output length showed no period (proportional estimate). */
  private outputLength: OutputLengthFn | null | undefined;

  protected constructor(name: string, session: CoreSession<T, O>, info: ModelInfo, flavour: OrtFlavour<T>) {
    this.name = name;
    this.session = session;
    this.info = info;
    this.flavour = flavour;
    const family = getModelFamily(info.family);
    if (family?.outputFrames) {
      const rule = family.outputFrames;
      const prompt = info.promptFrames ?? 0;
      this.outputLength = (frames) => rule(frames, prompt);
    }
  }

  /**
   * Discovers a session's interface, releasing the session when discovery fails.
   * @param name - Model name, for messages.
   * @param session - The open session.
   * @param discovery - Metadata, companion files and overrides.
   * @returns The interface.
   * @throws AsrqError whatever `discoverModelInfo` throws (the session released).
   */
  protected static async discover<T, O>(
    name: string,
    session: CoreSession<T, O>,
    discovery: CoreDiscovery,
  ): Promise<ModelInfo> {
    try {
      return discoverModelInfo({
        path: name,
        inputs: session.inputMetadata,
        outputs: session.outputMetadata,
        metadata: discovery.metadata,
        ...(discovery.companions ? { companions: discovery.companions } : {}),
        ...(discovery.overrides ? { overrides: discovery.overrides } : {}),
      });
    } catch (error) {
      await session.release();
      throw error;
    }
  }

  /**
   * Whether rows of different lengths can share one batch: true when the model takes lengths
   * or an attention mask (whether its scores are unaffected by padding is another matter).
   */
  get supportsPadding(): boolean {
    return supportsPadding(this.info);
  }

  /**
   * Builds the onnxruntime feeds for a batch of waveforms (see `buildFeeds`).
   * @param batch - Waveforms at the model's sample rate.
   * @returns Input name -> tensor.
   * @throws AsrqError `RUNTIME_BAD_BATCH`, `RUNTIME_INPUT_TOO_LONG`.
   */
  buildFeeds(batch: readonly Float32Array[]): Record<string, T> {
    return buildFeedsWith(this.flavour.tensor, this.info, batch, this.name);
  }

  /**
   * Runs the session on prepared feeds and times it.
   * @param feeds - From {@link ModelCore.buildFeeds}.
   * @returns onnxruntime's outputs and the wall time of the run in seconds.
   * @throws AsrqError `RUNTIME_RUN_FAILED` naming the model and the input shape when onnxruntime fails.
   */
  async run(feeds: Record<string, T>): Promise<{ outputs: O; encoderSec: number }> {
    // Learned before the first timed run, not at load: inspect and features never need it.
    if (this.outputLength === undefined && this.info.form === 'features' && !this.info.lengthsOutput)
      await this.learnOutputLength();
    const started = performance.now();
    let outputs: O;
    try {
      outputs = await this.session.run(feeds);
    } catch (cause) {
      const input = feeds[this.info.audioInput] as { dims?: readonly number[] } | undefined;
      throw new AsrqRuntimeError(
        'RUNTIME_RUN_FAILED',
        `${this.flavour.name} failed to run ${this.name} on input "${this.info.audioInput}" [${input?.dims?.join(', ') ?? '?'}]: ${firstLine(cause)}. ` +
          'Some exports only take inputs up to a fixed length (a positional table baked in at export): transcribe in shorter windows (`chunkSec`, e.g. 10, with `strideSec` 2).',
        { cause, argument: ['chunkSec', 'strideSec'] },
      );
    }
    return { outputs, encoderSec: (performance.now() - started) / 1000 };
  }

  /**
   * Runs a batch of waveforms and returns per-row log-probs; clips shorter than the model can
   * take are padded with silence first ({@link ModelCore.padShort}).
   * @param batch - Waveforms at the model's sample rate.
   * @returns Log-probs per row and the encoder time.
   * @throws AsrqError `RUNTIME_BAD_BATCH`, `RUNTIME_RUN_FAILED`, `RUNTIME_BAD_OUTPUT` when the scores are not [batch, frames, vocab].
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
        throw new AsrqRuntimeError(
          'RUNTIME_BAD_MODEL',
          `${this.name} produced no output frames for any input up to 4 s of silence. Check that it is a CTC speech model and that its front end (${this.info.frontEnd.name}) fits it.`,
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

  /**
   * Pads rows shorter than the model can take ({@link ModelCore.minSamples}) with silence, so a clip
   * of a few samples transcribes as nothing instead of crashing. {@link ModelCore.forward} does this
   * itself; callers that use {@link ModelCore.buildFeeds} and {@link ModelCore.run} directly call it first.
   * @param batch - Waveforms at the model's sample rate.
   * @returns The same rows, short ones replaced by padded copies.
   */
  async padShort(batch: readonly Float32Array[]): Promise<readonly Float32Array[]> {
    // Below a second of audio, check against the model's real minimum (probed once). A fixed-shape
    // export pads every row to its length in the feeds, so it needs no probe.
    if (this.info.fixedInputLength !== undefined && this.info.frontEnd.kind === 'waveform') return batch;
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
   * @param outputs - What {@link ModelCore.run} returned.
   * @param batch - The waveforms that were fed (their lengths decide padded rows' frame counts when the model reports none).
   * @returns One matrix per row.
   * @throws AsrqError `RUNTIME_BAD_OUTPUT` when the scores are not float [batch, frames, vocab].
   */
  readLogProbs(outputs: O, batch: readonly Float32Array[]): LogProbs[] {
    const lengths = this.info.lengthsOutput
      ? ((outputs[this.info.lengthsOutput] as ScoresTensor | undefined)?.data as BigInt64Array | Int32Array | undefined)
      : undefined;
    return scoresToLogProbs({
      info: this.info,
      path: this.name,
      scores: outputs[this.info.scoresOutput] as ScoresTensor | undefined,
      lengths,
      batch,
      outputLength: this.outputLength ?? undefined,
      state: this.normalization,
    });
  }

  /**
   * The model's samples per output frame: `info.frameStrideSamples` when the model (or its family)
   * states it, else measured once from the frame counts of a window and its first half (the
   * receptive field cancels out in the difference), rounded to whole samples, and cached.
   * @param firstWindow - Gives the samples to measure on (the first window of the input).
   * @returns The hop in samples.
   * @throws AsrqError `RUNTIME_BAD_CHUNKING` when the half window gives as many frames as the whole.
   */
  async frameHop(firstWindow: () => Promise<Float32Array>): Promise<number> {
    const stated = this.info.frameStrideSamples ?? this.hop;
    if (stated !== undefined && stated > 0) return stated;
    const window = await firstWindow();
    const half = window.subarray(0, Math.floor(window.length / 2));
    const a = await this.forward([window]);
    const b = await this.forward([half]);
    const frames = a.logProbs[0]!.frames - b.logProbs[0]!.frames;
    if (frames <= 0) {
      throw new AsrqRuntimeError(
        'RUNTIME_BAD_CHUNKING',
        `${this.name}: a ${window.length}-sample window gives no more frames than its first half, so its frame hop cannot be measured; give the model a frame_stride_samples metadata entry or disable chunking (\`chunkSec\` 0).`,
        { argument: 'chunkSec' },
      );
    }
    this.hop = Math.max(1, Math.round((window.length - half.length) / frames));
    return this.hop;
  }

  /** Frees the onnxruntime session. */
  async release(): Promise<void> {
    await this.session.release();
  }

  /** For feature models without a lengths output: learn their input-to-output frame arithmetic (see `fitOutputLength`). */
  private async learnOutputLength(): Promise<void> {
    this.outputLength =
      (await fitOutputLength(async (frames) => {
        try {
          const feeds = silentFeatureFeedsWith(this.flavour.tensor, this.info, frames, this.name);
          const outputs = await this.session.run(feeds, { logSeverityLevel: 4 });
          const scores = outputs[this.info.scoresOutput] as ScoresTensor | undefined;
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
      const scores = outputs[this.info.scoresOutput] as ScoresTensor | undefined;
      return scores !== undefined && scores.dims.length === 3 && (scores.dims[1] ?? 0) > (this.info.promptFrames ?? 0);
    } catch {
      return false;
    }
  }
}
