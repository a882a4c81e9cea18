import { CALIBRATOR_NAMES } from './calibrators/registry.js';
import { PLAN_DEFAULTS } from './defaults.js';
import { KNOWN_OP_TYPES } from './op-names.js';
import { describeDefaultOps, OP_QUANTIZERS, QUANTIZABLE_OP_TYPES } from './ops/registry.js';

/** Modes a rule may have. */
export const PLAN_MODES = ['dynamic', 'static', 'float'] as const;
/** Range estimators of static quantization: the names of the calibrator registry (`src/calibrators/registry.ts`). */
export const PLAN_CALIBRATORS = CALIBRATOR_NAMES;
/** Operator patterns of dynamic MatMul/Gemm quantization. */
export const PLAN_DYNAMIC_FORMATS = ['DynamicQuantizeMatMul', 'MatMulInteger'] as const;

/**
 * The subset of JSON Schema (draft 2020-12) the plan schema uses, plus `errorMessage` (the
 * ajv-errors keyword; editors ignore it): what {@link checkSchema} says when a value fails its
 * type or bounds.
 */
export interface PlanSchemaNode {
  $schema?: string;
  $id?: string;
  title?: string;
  description?: string;
  type?: 'object' | 'array' | 'string' | 'boolean' | 'integer' | 'number';
  enum?: readonly unknown[];
  const?: unknown;
  properties?: Record<string, PlanSchemaNode>;
  required?: readonly string[];
  additionalProperties?: boolean;
  items?: PlanSchemaNode;
  minItems?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  default?: unknown;
  examples?: readonly unknown[];
  errorMessage?: string;
}

const bool = (description: string): PlanSchemaNode => ({
  type: 'boolean',
  description,
  errorMessage: 'must be true or false.',
});

/**
 * The JSON Schema of plan files: the one description of the format. `validatePlan` checks
 * plans against it (then the rules a schema cannot say: op names with a did-you-mean, and
 * `convAsMatMul` only in dynamic rules); `schemas/plan.schema.json`, shipped in the package for
 * editors (`"$schema"` in a plan file), is this object written out by `pnpm --filter @asrq/quantize schema`.
 */
export const planSchema: PlanSchemaNode = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://unpkg.com/@asrq/quantize/schemas/plan.schema.json',
  title: 'asrq quantization plan',
  description:
    'Rules applied to every node of an ONNX model; the last matching rule wins, so put broad rules first and exceptions (float) after them.',
  type: 'object',
  errorMessage: 'a plan must be an object with "version": 1 and "rules".',
  additionalProperties: false,
  required: ['version', 'rules'],
  properties: {
    $schema: {
      type: 'string',
      description: 'JSON Schema of this file, for editor completion and checking.',
      errorMessage: 'must be a string (the schema URL or path).',
    },
    description: {
      type: 'string',
      description: 'Free text: what the plan is and how it was made.',
      errorMessage: 'must be a string.',
    },
    family: {
      type: 'string',
      description:
        'The model family and module names the plan was written for (free text, e.g. "transformers Wav2Vec2ForCTC export: wav2vec2.*, lm_head"), shown when a rule matches nothing.',
      errorMessage: 'must be a string.',
    },
    onNoMatch: {
      enum: ['error', 'warn'],
      default: PLAN_DEFAULTS.onNoMatch,
      description:
        'A rule whose selector matches no node: error (default; a typo in your own plan) or warn (a shared plan whose optional modules an export may lack).',
    },
    version: { const: 1, description: 'Plan format version.' },
    rules: {
      type: 'array',
      minItems: 1,
      description: 'The rules, applied in order; the last one that matches a node decides its treatment.',
      errorMessage: 'must be a non-empty list of { select, mode }.',
      items: {
        type: 'object',
        errorMessage: 'must be an object { select, mode }.',
        additionalProperties: false,
        required: ['select', 'mode'],
        properties: {
          select: {
            type: 'string',
            description:
              'Module path prefix (encoder.enc) or glob (encoder.**.attention); "" or ** selects every node.',
            examples: ['', '**', 'encoder.wav2vec2.model.encoder.layers', 'encoder.**.attention'],
            errorMessage: 'must be a module path prefix or glob string.',
          },
          mode: {
            enum: PLAN_MODES,
            description:
              'dynamic: int8 weights, activation ranges per run; static: calibrated QDQ; float: leave as is.',
          },
          perChannel: {
            ...bool('Per-output-channel weight scales (default true).'),
            default: PLAN_DEFAULTS.perChannel,
          },
          calibrator: {
            enum: PLAN_CALIBRATORS,
            description: `Static mode range estimator (default calibration.calibrator, else ${PLAN_DEFAULTS.calibrator}).`,
          },
          ops: {
            type: 'array',
            description: `Op types this rule applies to. Defaults: ${describeDefaultOps()}. Quantizable: ${QUANTIZABLE_OP_TYPES.join(', ')}; kept float with a reason: ${OP_QUANTIZERS.filter(
              (q) => q.floatReason,
            )
              .map((q) => q.opType)
              .join(', ')}.`,
            errorMessage: 'must be a list of op types such as ["MatMul", "Gemm"].',
            items: {
              type: 'string',
              examples: [...KNOWN_OP_TYPES].sort(),
              errorMessage: 'must be a list of op types such as ["MatMul", "Gemm"].',
            },
          },
          format: {
            enum: PLAN_DYNAMIC_FORMATS,
            description: `Dynamic mode operator pattern (default dynamicFormat, else ${PLAN_DEFAULTS.dynamicFormat}).`,
          },
          convAsMatMul: bool(
            'Dynamic mode only: also rewrite each 1-D, ungrouped, multi-channel Conv as im2col + MatMulInteger.',
          ),
          weights: {
            enum: ['int8', 'int4'],
            default: PLAN_DEFAULTS.weights,
            description:
              'Dynamic mode only: MatMul/Gemm weight precision. int4 stores 4-bit blocks along K (com.microsoft.MatMulNBits: half the size of int8).',
          },
          blockSize: {
            type: 'integer',
            minimum: 16,
            maximum: 256,
            default: PLAN_DEFAULTS.blockSize,
            description: 'With weights int4: values per scale along K (a power of two from 16 to 256).',
            errorMessage: 'must be a power of two from 16 to 256.',
          },
          activationScale: {
            enum: ['tensor', 'row'],
            default: PLAN_DEFAULTS.activationScale,
            description:
              'Dynamic convAsMatMul only: one activation range per utterance (tensor, default; fused by onnxruntime) or one per output frame (row: for inputs whose loudness varies over time, at some speed cost).',
          },
        },
      },
    },
    calibration: {
      type: 'object',
      description: 'Calibration of static rules.',
      errorMessage: 'must be an object { n, seed, percentile, calibrator }.',
      additionalProperties: false,
      properties: {
        n: {
          type: 'integer',
          minimum: 1,
          default: PLAN_DEFAULTS.calibrationN,
          description: 'Calibration samples to use.',
          errorMessage: 'must be a positive integer.',
        },
        seed: {
          type: 'integer',
          default: PLAN_DEFAULTS.calibrationSeed,
          description: 'Seed that picks the samples (recorded for reproducibility).',
          errorMessage: 'must be an integer.',
        },
        percentile: {
          type: 'number',
          exclusiveMinimum: 50,
          maximum: 100,
          default: PLAN_DEFAULTS.percentile,
          description: 'Percentile of the percentile calibrator.',
          errorMessage: 'must be a number in (50, 100], e.g. 99.999.',
        },
        calibrator: {
          enum: PLAN_CALIBRATORS,
          default: PLAN_DEFAULTS.calibrator,
          description: 'Default calibrator of static rules.',
        },
      },
    },
    dynamicFormat: {
      enum: PLAN_DYNAMIC_FORMATS,
      default: PLAN_DEFAULTS.dynamicFormat,
      description: 'Default dynamic operator pattern.',
    },
    rewrites: {
      type: 'object',
      description: 'Graph rewrites applied after quantization (each keeps the float result).',
      errorMessage: 'must be an object such as { "skipLayerNorm": true }.',
      additionalProperties: false,
      properties: { skipLayerNorm: bool('Fuse Add + LayerNormalization into com.microsoft.SkipLayerNormalization.') },
    },
  },
};

/** A value that failed the schema: where (`plan.rules[0].mode`) and what is wrong. */
export interface SchemaProblem {
  path: string;
  message: string;
}

function typeMatches(value: unknown, type: NonNullable<PlanSchemaNode['type']>): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return typeof value === type;
  }
}

/**
 * Checks a value against a schema node (the subset in {@link PlanSchemaNode}) and returns the
 * first problem: unknown fields first (listing the known ones), then each field in schema order.
 * @param value - The value (undefined for a missing required field).
 * @param node - Its schema.
 * @param path - Its path, for the message.
 * @returns The first problem, or undefined when the value conforms.
 */
export function checkSchema(value: unknown, node: PlanSchemaNode, path: string): SchemaProblem | undefined {
  const fail = (message: string): SchemaProblem => ({ path, message: node.errorMessage ?? message });
  if (node.const !== undefined && value !== node.const)
    return { path, message: `must be ${JSON.stringify(node.const)} (got ${JSON.stringify(value)}).` };
  if (node.enum && !node.enum.includes(value))
    return { path, message: `must be one of ${node.enum.join(', ')} (got ${JSON.stringify(value)}).` };
  if (node.type && !typeMatches(value, node.type)) return fail(`must be of type ${node.type}.`);
  if (typeof value === 'number') {
    if (
      (node.minimum !== undefined && value < node.minimum) ||
      (node.exclusiveMinimum !== undefined && value <= node.exclusiveMinimum) ||
      (node.maximum !== undefined && value > node.maximum)
    )
      return fail('is out of range.');
  }
  if (Array.isArray(value)) {
    if (node.minItems !== undefined && value.length < node.minItems)
      return fail(`must have at least ${node.minItems} items.`);
    if (node.items) {
      for (const [i, item] of value.entries()) {
        const problem = checkSchema(item, node.items, `${path}[${i}]`);
        if (problem)
          return node.items.type !== 'object' && node.errorMessage ? { path, message: node.errorMessage } : problem;
      }
    }
  }
  if (node.type === 'object' && typeMatches(value, 'object')) {
    const object = value as Record<string, unknown>;
    const known = Object.keys(node.properties ?? {});
    if (node.additionalProperties === false) {
      const unknown = Object.keys(object).find((key) => !known.includes(key));
      if (unknown !== undefined)
        return { path: `${path}.${unknown}`, message: `unknown field (known: ${known.join(', ')}).` };
    }
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      if (object[key] === undefined && !node.required?.includes(key)) continue;
      const problem = checkSchema(object[key], child, `${path}.${key}`);
      if (problem) return problem;
    }
  }
  return undefined;
}
