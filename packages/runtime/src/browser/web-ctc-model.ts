import { env, InferenceSession, Tensor } from 'onnxruntime-web/wasm';
import type { ModelCompanions } from '../families/family.js';
import type { TensorFactory } from '../feeds-core.js';
import { ModelCore, type ForwardResult, type OrtFlavour } from '../model-core.js';
import type { ModelInfo, ModelInfoOverrides } from '../types.js';
import { parseOnnxMetadata } from '../onnx-metadata-walk.js';
import { AsrqRuntimeError } from '../errors.js';

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
  /** Configuration files that would sit beside the model (`preprocessor_config.json`, `model_config.yaml`), already parsed, by file name. */
  companions?: ModelCompanions;
}

/** One forward pass of a {@link WebCtcModel}. */
export type WebForwardResult = ForwardResult;

const webTensor: TensorFactory<Tensor> = (type, data, dims) => new Tensor(type, data, dims);
const webFlavour: OrtFlavour<Tensor> = { name: 'onnxruntime-web', tensor: webTensor };

/**
 * An ONNX CTC speech model running in onnxruntime-web (WebAssembly): the browser counterpart of
 * `CtcModel` from `@asrq/runtime`, on the same model core (discovery, feeds, runs, log-probs,
 * short-clip padding, output lengths, frame hop: shared code, not a copy); `forwardLong` from this
 * entry runs long audio through it in windows, as the Node runtime does.
 *
 * @example
 * ```ts
 * configureWasm({ wasmPaths: '/ort/' });
 * const bytes = new Uint8Array(await (await fetch('/model.onnx')).arrayBuffer());
 * const model = await WebCtcModel.load(bytes, { name: 'model.onnx' });
 * const { logProbs, encoderSec } = await forwardLong(model, audio16k);
 * ```
 */
export class WebCtcModel extends ModelCore<Tensor, InferenceSession.OnnxValueMapType> {
  /** Bytes of the model file. */
  readonly sizeBytes: number;
  /** Seconds taken to create the session. */
  readonly loadSec: number;

  private constructor(name: string, session: InferenceSession, info: ModelInfo, sizeBytes: number, loadSec: number) {
    super(name, session, info, webFlavour);
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
      throw new AsrqRuntimeError(
        'RUNTIME_BAD_MODEL',
        `onnxruntime-web could not load ${name}: ${String((cause as Error).message ?? cause).split('\n')[0]}. Check that it is a complete ONNX file whose operators onnxruntime-web 1.30 supports.`,
        { cause },
      );
    }
    const loadSec = (performance.now() - started) / 1000;
    const info = await ModelCore.discover(name, session, {
      metadata,
      ...(options.companions ? { companions: options.companions } : {}),
      ...(options.overrides ? { overrides: options.overrides } : {}),
    });
    return new WebCtcModel(name, session, info, bytes.length, loadSec);
  }
}
