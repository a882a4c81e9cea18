import type { NodeProto } from '@asrq/onnx';
import type { DynamicChain } from '../emit/dynamic-chain.js';
import type { QdqEmitter } from '../emit/qdq.js';
import type { GraphContext } from '../graph-context.js';
import type { DynamicFormat } from '../plan-types.js';
import type { WeightCache } from '../weights.js';

/** A mode that changes nodes. `float` (leave the node as it is) needs no quantizer. */
export type QuantizingMode = 'dynamic' | 'static';

/** Result of trying to rewrite one node: done, or left alone with a reason. */
export type RewriteResult = { status: 'quantized' } | { status: 'skipped'; reason: string };

/** What a rule says about how to quantize the nodes it selects (its defaults resolved). */
export interface NodeOptions {
  /** Per-output-channel weight scales. */
  perChannel: boolean;
  /** Dynamic MatMul/Gemm operator pattern. */
  format: DynamicFormat;
  /** Dynamic Conv1d as im2col + MatMulInteger. */
  convAsMatMul: boolean;
  /** With convAsMatMul: one activation range per utterance or per output frame. */
  activationScale: 'tensor' | 'row';
  /** Dynamic MatMul/Gemm weight precision. */
  weights: 'int8' | 'int4';
  /** With int4 weights: values per scale along K. */
  blockSize: number;
}

/** Everything a rewrite may use: the graph, the quantized-weight cache and the shared emitters. */
export interface RewriteEnv {
  ctx: GraphContext;
  weights: WeightCache;
  dynamic: DynamicChain;
  qdq: QdqEmitter;
  /** Nodes replaced by their rewrite (removed from the graph at the end). */
  removed: Set<NodeProto>;
}

/** Planner decision family of a node: weight MatMul/Gemm, activation x activation MatMul, or Conv. */
export type OpFamily = 'weight-matmul' | 'act-matmul' | 'conv';

/** One mode of one op: what it emits and when a rule of that mode selects the op without listing it. */
export interface ModeSupport {
  /** One line for the plan schema, the docs and `asrq inspect`. */
  summary: string;
  /** Whether a rule of this mode without `ops` selects this op (given the rule's convAsMatMul). */
  byDefault: (rule: { convAsMatMul?: boolean }) => boolean;
  /**
   * The lowest ai.onnx opset of what this mode emits with these options, and the form that needs
   * it; a rule whose form needs more than the model has is refused before anything is written.
   */
  minOpset: (options: NodeOptions, ctx?: GraphContext, node?: NodeProto) => { opset: number; form: string };
}

/**
 * How one op type is quantized: the registry entry onnxruntime's quantization tool would call an
 * op quantizer. One file per op type under `src/ops/`, one line in `src/ops/registry.ts`.
 */
export interface OpQuantizer {
  readonly opType: string;
  /** Operator domain: '' for standard ONNX, 'com.microsoft' for onnxruntime's contrib ops. */
  readonly domain: string;
  /** Modes this op supports (float always). */
  readonly modes: Partial<Record<QuantizingMode, ModeSupport>>;
  /** Why a node of this op is kept float in every mode (fused ops asrq leaves alone), if it always is. */
  readonly floatReason?: string;
  /** Whether dynamic mode can store its weights in 4 bits (`weights: "int4"`); others use int8 and say so. */
  readonly int4?: boolean;
  /** The planner family of a node, or undefined when the planner should not consider it. */
  family(ctx: GraphContext, node: NodeProto): OpFamily | undefined;
  /** The activation tensors static mode needs calibrated ranges for (empty when it cannot quantize the node). */
  calibrationTargets(ctx: GraphContext, node: NodeProto): string[];
  /**
   * Rewrites the node in place or around it.
   * @throws OpsetTooLow when an emitted form is missing at the model's opset.
   */
  rewrite(env: RewriteEnv, node: NodeProto, mode: QuantizingMode, options: NodeOptions): RewriteResult;
}

/**
 * A skipped result.
 * @param reason - Why the node stays float.
 * @returns The result.
 */
export function skipped(reason: string): RewriteResult {
  return { status: 'skipped', reason };
}

/** The quantized result. */
export const QUANTIZED: RewriteResult = { status: 'quantized' };
