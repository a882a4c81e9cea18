import { stat } from 'node:fs/promises';
import { modelDiskSize } from '@asrq/onnx';
import { type InferenceSession, Tensor } from 'onnxruntime-node';
import { readModelCompanions } from './companions.js';
import type { TensorFactory } from './feeds-core.js';
import { ModelCore, type OrtFlavour } from './model-core.js';
import type { ModelInfoOverrides } from './types.js';
import { readOnnxMetadata } from './onnx-metadata.js';
import { openSession, type SessionSettings } from './session.js';
import { AsrqRuntimeError } from './errors.js';

export type { ForwardResult } from './model-core.js';
export type { SessionSettings } from './session.js';

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

const nodeTensor: TensorFactory<Tensor> = (type, data, dims) => new Tensor(type, data, dims);
const nodeFlavour: OrtFlavour<Tensor> = { name: 'onnxruntime', tensor: nodeTensor };

type NodeOutputs = InferenceSession.OnnxValueMapType;

/**
 * An ONNX CTC speech model running in onnxruntime-node: raw audio in, per-frame
 * log-probabilities out, for every registered model family (asrq's form, transformers, NeMo,
 * sherpa-onnx / icefall, WeNet, SenseVoice, ...): the shared model core (`ModelCore`: feeds,
 * timed runs, log-probs, short clips, output lengths, frame hop) plus loading from a file.
 *
 * @example
 * ```ts
 * const model = await CtcModel.load('model.onnx');
 * const { logProbs, encoderSec } = await model.forward([audio16k]);
 * await model.release();
 * ```
 */
export class CtcModel extends ModelCore<Tensor, NodeOutputs> {
  /** Model file path. */
  readonly path: string;
  /** Bytes of the .onnx file itself; {@link CtcModel.diskBytes} adds external-data files. */
  readonly sizeBytes: number;
  /** Seconds taken to create the onnxruntime session. */
  readonly loadSec: number;
  /** Session settings in effect. */
  readonly settings: Readonly<Required<Pick<SessionSettings, 'threads' | 'graphOptimizationLevel' | 'executionMode'>>>;

  private constructor(
    path: string,
    session: InferenceSession,
    info: CtcModel['info'],
    facts: { sizeBytes: number; loadSec: number; settings: CtcModel['settings'] },
  ) {
    super(path, session, info, nodeFlavour);
    this.path = path;
    this.sizeBytes = facts.sizeBytes;
    this.loadSec = facts.loadSec;
    this.settings = facts.settings;
  }

  /**
   * Loads a model, reads its metadata and companion files once, and discovers its interface.
   * @param path - ONNX file.
   * @param options - Session settings, discovery overrides, further folders for companion files.
   * @returns The loaded model.
   * @throws AsrqError `RUNTIME_MODEL_NOT_FOUND`, `RUNTIME_BAD_MODEL` (onnxruntime refused it), `RUNTIME_UNSUPPORTED_MODEL`.
   */
  static async load(path: string, options: LoadModelOptions = {}): Promise<CtcModel> {
    const file = await stat(path).catch((cause: unknown) => {
      throw new AsrqRuntimeError(
        'RUNTIME_MODEL_NOT_FOUND',
        `Model file ${path} does not exist or cannot be read. Check the path.`,
        { cause },
      );
    });
    if (!file.isFile())
      throw new AsrqRuntimeError('RUNTIME_MODEL_NOT_FOUND', `${path} is not a file. Pass the path of an .onnx model.`);
    const metadata = await readOnnxMetadata(path);
    const { session, loadSec, settings } = await openSession(path, options.session);
    const companions = await readModelCompanions(path, options.companionDirs).catch(async (error: unknown) => {
      await session.release();
      throw error;
    });
    const info = await ModelCore.discover(path, session, {
      metadata,
      companions,
      ...(options.overrides ? { overrides: options.overrides } : {}),
    });
    return new CtcModel(path, session, info, {
      sizeBytes: file.size,
      loadSec,
      settings: {
        threads: settings.threads,
        graphOptimizationLevel: settings.graphOptimizationLevel,
        executionMode: settings.executionMode,
      },
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
}
