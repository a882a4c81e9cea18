import { errorCode, parseStructuredText } from '@asrq/core';
import { isGlob } from '@asrq/onnx';
import { QuantizeError } from './errors.js';
import { closestOpType, KNOWN_OP_TYPES } from './op-names.js';
import { checkSchema, planSchema } from './plan-schema.js';
import { PLAN_DEFAULTS } from './defaults.js';
import type { NodeOptions } from './ops/op-quantizer.js';
import type { QuantPlan, QuantRule } from './plan-types.js';
import { defaultOpsOf } from './ops/registry.js';

export type {
  CalibratorKind,
  DynamicFormat,
  PlanRewrites,
  QuantMode,
  QuantPlan,
  QuantRule,
} from './plan-types.js';

function bad(where: string, message: string): never {
  throw new QuantizeError('QUANT_BAD_PLAN', `${where}: ${message}`, { location: where });
}

/**
 * Checks a plan object against {@link planSchema} (the JSON Schema shipped for editors), then
 * what a schema cannot say (op names with a did-you-mean; `convAsMatMul` in dynamic rules only),
 * and returns it typed. Unknown fields are errors, so typos do not pass silently.
 * @param value - Parsed JSON/YAML.
 * @param name - Where it came from, for messages.
 * @returns The plan (without `$schema` and `description`).
 * @throws QuantizeError `QUANT_BAD_PLAN` naming the offending field (`name.rules[2].mode`) and what is allowed.
 */
export function validatePlan(value: unknown, name = 'plan'): QuantPlan {
  const problem = checkSchema(value, planSchema, name);
  if (problem) bad(problem.path, problem.message);
  const v = value as QuantPlan & { $schema?: string; description?: string };
  v.rules.forEach((rule, i) => {
    const where = `${name}.rules[${i}]`;
    if (rule.convAsMatMul !== undefined && rule.mode !== 'dynamic')
      bad(`${where}.convAsMatMul`, 'applies to mode dynamic only.');
    if (rule.activationScale !== undefined && !rule.convAsMatMul)
      bad(`${where}.activationScale`, 'applies to rules with convAsMatMul: true only.');
    if (rule.weights !== undefined && rule.mode !== 'dynamic') bad(`${where}.weights`, 'applies to mode dynamic only.');
    if (rule.blockSize !== undefined && rule.weights !== 'int4')
      bad(`${where}.blockSize`, 'applies to rules with weights: "int4" only.');
    if (rule.blockSize !== undefined && (rule.blockSize & (rule.blockSize - 1)) !== 0)
      bad(`${where}.blockSize`, `must be a power of two from 16 to 256, got ${rule.blockSize}.`);
    rule.ops?.forEach((op, j) => {
      if (KNOWN_OP_TYPES.has(op)) return;
      const guess = closestOpType(op);
      bad(
        `${where}.ops[${j}]`,
        `unknown op type ${JSON.stringify(op)}${guess ? ` (did you mean ${guess}?)` : ''}. Op types are ONNX operator names such as MatMul, Gemm or Conv, spelled as \`asrq inspect\` lists them.`,
      );
    });
  });
  // A copy holding only the plan's own fields, so callers never share objects with the input.
  const plan: QuantPlan = {
    version: 1,
    rules: v.rules.map((rule) => ({ ...rule, ...(rule.ops ? { ops: [...rule.ops] } : {}) })),
  };
  if (v.family !== undefined) plan.family = v.family;
  if (v.onNoMatch !== undefined) plan.onNoMatch = v.onNoMatch;
  if (v.dynamicFormat !== undefined) plan.dynamicFormat = v.dynamicFormat;
  if (v.rewrites !== undefined) plan.rewrites = { ...v.rewrites };
  if (v.calibration !== undefined) plan.calibration = { ...v.calibration };
  return plan;
}

/**
 * Parses a plan file: JSON when its name ends in `.json` (so a JSON syntax error is reported as
 * one, with line and column), YAML otherwise (JSON is YAML, so a nameless text may be either).
 *
 * @param text - File contents (a UTF-8 BOM is ignored).
 * @param options - `name` (file path) for error messages and the format choice.
 * @returns The validated plan.
 * @throws QuantizeError `QUANT_BAD_PLAN` for syntax errors (`name:line:column`) or invalid fields (with path).
 * @example
 * ```ts
 * const plan = parsePlan(await readFile('plans/best.json', 'utf8'), { name: 'plans/best.json' });
 * ```
 */
export function parsePlan(text: string, options: { name?: string } = {}): QuantPlan {
  const name = options.name ?? 'plan';
  const value = parseStructuredText(text, name, errorCode(QuantizeError, 'QUANT_BAD_PLAN'));
  return validatePlan(value, name);
}

/** Command-line style description of a plan (`asrq quantize --dynamic X --static Y --exclude Z`). */
export interface PlanFlags {
  dynamic?: string[];
  static?: string[];
  exclude?: string[];
  perChannel?: boolean;
  calibrator?: string;
  calibN?: number;
  seed?: number;
  percentile?: number;
  dynamicFormat?: string;
  /** Also quantize Conv in dynamic rules (ConvInteger: often slower). */
  dynamicConv?: boolean;
}

/**
 * Builds a plan from CLI flags: dynamic rules, then static rules, then exclusions (float), so
 * exclusions always win.
 *
 * @param flags - Module path prefixes or globs per mode and options.
 * @returns The plan.
 * @throws QuantizeError `QUANT_BAD_PLAN` when no rule is given or an option is invalid.
 * @example
 * ```ts
 * planFromFlags({ dynamic: ['encoder.wav2vec2.model.encoder.layers', 'encoder.enc'], static: ['encoder.wav2vec2.model.feature_extractor'], exclude: ['encoder.ctc_lin'] });
 * ```
 */
export function planFromFlags(flags: PlanFlags): QuantPlan {
  const rules: Record<string, unknown>[] = [];
  const common = (r: Record<string, unknown>): Record<string, unknown> =>
    flags.perChannel === undefined ? r : { ...r, perChannel: flags.perChannel };
  for (const s of flags.dynamic ?? [])
    rules.push(
      common({ select: s, mode: 'dynamic', ...(flags.dynamicConv ? { ops: ['MatMul', 'Gemm', 'Conv'] } : {}) }),
    );
  for (const s of flags.static ?? []) rules.push(common({ select: s, mode: 'static' }));
  for (const s of flags.exclude ?? []) rules.push({ select: s, mode: 'float' });
  if (rules.length === 0) bad('flags', 'give at least one of --dynamic, --static or --plan.');
  const calibration: Record<string, unknown> = {};
  if (flags.calibN !== undefined) calibration.n = flags.calibN;
  if (flags.seed !== undefined) calibration.seed = flags.seed;
  if (flags.percentile !== undefined) calibration.percentile = flags.percentile;
  if (flags.calibrator !== undefined) calibration.calibrator = flags.calibrator;
  const plan: Record<string, unknown> = { version: 1, rules };
  if (Object.keys(calibration).length > 0) plan.calibration = calibration;
  if (flags.dynamicFormat !== undefined) plan.dynamicFormat = flags.dynamicFormat;
  return validatePlan(plan, 'flags');
}

/**
 * The op types a rule applies to: its `ops`, else the defaults of its mode from the op registry
 * (`src/ops/registry.ts`); undefined for a float rule without `ops` (it applies to every op).
 * @param rule - A rule.
 * @returns Op types, or undefined for all.
 */
export function ruleOps(rule: QuantRule): string[] | undefined {
  if (rule.ops) return rule.ops;
  if (rule.mode === 'float') return undefined;
  return defaultOpsOf(rule.mode, rule);
}

/**
 * A rule's per-node settings with the plan's and asrq's defaults filled in.
 * @param rule - A dynamic or static rule.
 * @param plan - Its plan (for `dynamicFormat`).
 * @returns The resolved options.
 */
export function nodeOptionsOf(rule: QuantRule, plan: QuantPlan): NodeOptions {
  return {
    perChannel: rule.perChannel ?? PLAN_DEFAULTS.perChannel,
    format: rule.format ?? plan.dynamicFormat ?? PLAN_DEFAULTS.dynamicFormat,
    convAsMatMul: rule.convAsMatMul === true,
    activationScale: rule.activationScale ?? PLAN_DEFAULTS.activationScale,
    weights: rule.weights ?? PLAN_DEFAULTS.weights,
    blockSize: rule.blockSize ?? PLAN_DEFAULTS.blockSize,
  };
}

/**
 * Whether a rule's selector is a glob (else a module path prefix).
 * @param rule - A rule.
 * @returns True for a glob.
 */
export function ruleIsGlob(rule: QuantRule): boolean {
  return isGlob(rule.select);
}

/** Settings given on the command line that take precedence over a plan file's own. */
export type PlanOverrides = Pick<
  PlanFlags,
  'calibN' | 'seed' | 'percentile' | 'calibrator' | 'dynamicFormat' | 'perChannel'
>;

/**
 * Applies explicit command-line settings on top of a plan file: an option the user typed wins over
 * the file (`--calib-n 3` beats `calibration.n: 10`); `perChannel` is set on every rule.
 *
 * @param plan - A validated plan (not modified).
 * @param overrides - Only the settings the user gave explicitly.
 * @returns A new validated plan.
 * @throws QuantizeError `QUANT_BAD_PLAN` when an override value is invalid.
 * @example
 * ```ts
 * withPlanOverrides(parsePlan(text, { name: 'best.json' }), { calibN: 3 }).calibration?.n; // 3
 * ```
 */
export function withPlanOverrides(plan: QuantPlan, overrides: PlanOverrides): QuantPlan {
  const calibration: Record<string, unknown> = { ...plan.calibration };
  if (overrides.calibN !== undefined) calibration.n = overrides.calibN;
  if (overrides.seed !== undefined) calibration.seed = overrides.seed;
  if (overrides.percentile !== undefined) calibration.percentile = overrides.percentile;
  if (overrides.calibrator !== undefined) calibration.calibrator = overrides.calibrator;
  const next: Record<string, unknown> = {
    version: 1,
    rules: plan.rules.map((r) =>
      overrides.perChannel === undefined ? { ...r } : { ...r, perChannel: overrides.perChannel },
    ),
  };
  if (Object.keys(calibration).length > 0) next.calibration = calibration;
  const dynamicFormat = overrides.dynamicFormat ?? plan.dynamicFormat;
  if (dynamicFormat !== undefined) next.dynamicFormat = dynamicFormat;
  if (plan.rewrites !== undefined) next.rewrites = { ...plan.rewrites };
  if (plan.family !== undefined) next.family = plan.family;
  if (plan.onNoMatch !== undefined) next.onNoMatch = plan.onNoMatch;
  return validatePlan(next, 'flags');
}
