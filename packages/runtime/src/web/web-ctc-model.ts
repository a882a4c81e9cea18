import type { LogProbs } from '@asrq/ctc/pure';
import { env, InferenceSession, Tensor } from 'onnxruntime-web/wasm';
import type { ModelCompanions } from '../companions.js';
import { buildFeedsWith, silentFeatureFeedsWith, type TensorFactory } from '../feeds-core.js';
import { discoverModelInfo, type ModelInfo, type ModelInfoOverrides } from '../model-info.js';
import { parseOnnxMetadata } from '../onnx-metadata-walk.js';
import { fitOutputLength, type OutputLengthFn } from '../output-length.js';
import { scoresToLogProbs, type NormalizationState } from '../scores-to-log-probs.js';
import { RuntimeError } from '../errors.js';

/** Where onnxruntime-web finds its WebAssembly files, and how many threads it starts. */
export interface WasmSettings {
  /**
   * URL prefix (ending in `/`) of `ort-wasm-simd-threaded.wasm` and `.mjs`, or both URLs. Serve
   * them from the page's own origin: without this, onnxruntime-web would look beside its bundle.
   */
  wasmPaths?: string | { wasm: string; mjs: string };
  /**
   * WebAssembly threads (default 1). More than 1 needs a cross-origin isolated page
   * (`Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`);
   * onnxruntime-web falls back to 1 otherwise. Takes effect before the first session only.
   */
  threads?: number;
}

/**
 * Configures onnxruntime-web's WebAssembly backend (file locations and threads). Call it once,
 * before the first {@link WebCtcModel.load}: the WebAssembly module is started by the first session
 * and keeps these settings for the page's lifetime.
 * @param settings - File locations and threads.
 * @example
 * ```ts
 * configureWasm({ wasmPaths: '/ort/', threads: crossOriginIsolated ? 2 : 1 });
 * ```
 */
export function configureWasm(settings: WasmSettings): void {
  if (settings.wasmPaths !== undefined) env.wasm.wasmPaths = settings.wasmPaths;
  env.wasm.numThreads = settings.threads ?? 1;
  env.wasm.simd = true;
  env.logLevel = 'error';
}

/** Options of {@link WebCtcModel.load}. */
export interface WebLoadOptions {
  /** Name shown in error messages (e.g. the URL it came from). */
  name?: string;
  /** Discovery overrides, as for the Node runtime's `CtcModel.load`. */
  overrides?: ModelInfoOverrides;
  /** Configuration files that would sit beside the model (`preprocessor_config.json`, `model_config.yaml`), already parsed. */
  companions?: ModelCompanions;
}

/** One forward pass of a {@link WebCtcModel}. */
export interface WebForwardResult {
  /** One log-prob matrix per input row, trimmed to its valid frames. */
  logProbs: LogProbs[];
  /** Wall time of `session.run` alone, in seconds. */
  encoderSec: number;
}

const webTensor: TensorFactory<Tensor> = (type, data, dims) => new Tensor(type, data, dims);

/**
 * An ONNX CTC speech model running in onnxruntime-web (WebAssembly): the browser counterpart of
 * `CtcModel` from `@asrq/runtime`, with the same interface discovery, front ends, feeds and
 * log-prob extraction (shared code, not a copy).
 *
 * @example
 * ```ts
 * configureWasm({ wasmPaths: '/ort/' });
 * const bytes = new Uint8Array(await (await fetch('/model.onnx')).arrayBuffer());
 * const model = await WebCtcModel.load(bytes, { name: 'model.onnx' });
 * const { logProbs, encoderSec } = await model.forward([audio16k]);
 * ```
 */
export class WebCtcModel {
  /** Name used in messages. */
  readonly name: string;
  /** Discovered interface. */
  readonly info: ModelInfo;
  /** Bytes of the model file. */
  readonly sizeBytes: number;
  /** Seconds taken to create the session. */
  readonly loadSec: number;
  private readonly session: InferenceSession;
  private readonly normalization: NormalizationState = { normalized: undefined };
  private outputLength: OutputLengthFn | undefined;

  private constructor(name: string, session: InferenceSession, info: ModelInfo, sizeBytes: number, loadSec: number) {
    this.name = name;
    this.session = session;
    this.info = info;
    this.sizeBytes = sizeBytes;
    this.loadSec = loadSec;
  }

  /**
   * Creates a session from the model's bytes and discovers its interface.
   * @param bytes - The whole .onnx file (external data is not supported here).
   * @param options - Name, discovery overrides, companion files.
   * @returns The loaded model.
   * @throws AsrqError `RUNTIME_BAD_MODEL` (not ONNX, or onnxruntime-web refused it), `RUNTIME_UNSUPPORTED_MODEL` from discovery.
   */
  static async load(bytes: Uint8Array, options: WebLoadOptions = {}): Promise<WebCtcModel> {
    const name = options.name ?? 'the model';
    const metadata = await parseOnnxMetadata(bytes, name);
    const started = performance.now();
    let session: InferenceSession;
    try {
      session = await InferenceSession.create(bytes, {
        executionProviders: ['wasm'],
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3,
      });
    } catch (cause) {
      throw new RuntimeError(
        'RUNTIME_BAD_MODEL',
        `onnxruntime-web could not load ${name}: ${String((cause as Error).message ?? cause).split('\n')[0]}. Check that it is a complete ONNX file whose operators onnxruntime-web 1.30 supports.`,
        { cause },
      );
    }
    const loadSec = (performance.now() - started) / 1000;
    let info: ModelInfo;
    try {
      info = discoverModelInfo(
        name,
        session.inputMetadata,
        session.outputMetadata,
        metadata,
        options.overrides,
        options.companions,
      );
    } catch (error) {
      await session.release();
      throw error;
    }
    const model = new WebCtcModel(name, session, info, bytes.length, loadSec);
    if (info.form === 'features' && !info.lengthsOutput) await model.learnOutputLength();
    return model;
  }

  /**
   * Runs a batch of waveforms and returns per-row log-probs.
   * @param batch - Waveforms at the model's sample rate.
   * @returns Log-probs per row and the encoder time.
   * @throws AsrqError `RUNTIME_BAD_BATCH` for empty input, `RUNTIME_RUN_FAILED` when onnxruntime-web fails (e.g. audio shorter than the model's receptive field), `RUNTIME_BAD_OUTPUT`.
   */
  async forward(batch: readonly Float32Array[]): Promise<WebForwardResult> {
    const feeds = buildFeedsWith(webTensor, this.info, batch, this.name);
    const started = performance.now();
    let outputs: InferenceSession.OnnxValueMapType;
    try {
      outputs = await this.session.run(feeds);
    } catch (cause) {
      throw new RuntimeError(
        'RUNTIME_RUN_FAILED',
        `onnxruntime-web failed to run ${this.name}: ${String((cause as Error).message ?? cause).split('\n')[0]}. Very short clips (under the model's receptive field) cannot be run; use a longer one.`,
        { cause },
      );
    }
    const encoderSec = (performance.now() - started) / 1000;
    const scores = outputs[this.info.scoresOutput] as Tensor | undefined;
    const lengths = this.info.lengthsOutput
      ? (outputs[this.info.lengthsOutput]?.data as BigInt64Array | Int32Array | undefined)
      : undefined;
    return {
      logProbs: scoresToLogProbs(this.info, this.name, scores, lengths, batch, this.outputLength, this.normalization),
      encoderSec,
    };
  }

  private async learnOutputLength(): Promise<void> {
    this.outputLength = await fitOutputLength(async (frames) => {
      try {
        const outputs = await this.session.run(silentFeatureFeedsWith(webTensor, this.info, frames, this.name));
        const scores = outputs[this.info.scoresOutput] as Tensor | undefined;
        return scores?.dims.length === 3 ? (scores.dims[1] ?? 0) : 0;
      } catch {
        return 0;
      }
    });
  }

  /** Frees the session. */
  async release(): Promise<void> {
    await this.session.release();
  }
}
