import { formatBytes, formatModuleTree, moduleTree, type ModuleNode } from './module-tree.js';
import { toNumber, type OnnxModel, type ValueInfo } from './types.js';

const typeNames: Record<number, string> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  16: 'bfloat16',
};

/** A graph input or output. */
export interface ValueSummary {
  name: string;
  /** Element type (`float32`, `int64`), or `unknown`. */
  type: string;
  /** Dims: numbers for fixed sizes, strings for symbolic ones (`batch`), `?` when unnamed. */
  shape: Array<number | string>;
}

/** Everything `asrq inspect` shows about a model. */
export interface ModelInspection {
  name: string;
  irVersion: number;
  producer: string;
  opsets: Array<{ domain: string; version: number }>;
  metadata: Record<string, string>;
  inputs: ValueSummary[];
  outputs: ValueSummary[];
  nodeCount: number;
  /** Op type histogram of the whole graph. */
  opHistogram: Record<string, number>;
  /** Initializer element count. */
  parameterCount: number;
  /** Initializer bytes. */
  parameterBytes: number;
  tree: ModuleNode;
}

function summarize(v: ValueInfo): ValueSummary {
  const t = v.type?.tensor_type;
  return {
    name: v.name ?? '',
    type: t ? (typeNames[t.elem_type ?? 0] ?? `type${t.elem_type}`) : 'unknown',
    shape: (t?.shape?.dim ?? []).map((d) =>
      d.dim_param ? d.dim_param : d.dim_value !== undefined && d.dim_value !== null ? toNumber(d.dim_value) : '?',
    ),
  };
}

/**
 * Summarises a model: I/O with types and shapes, metadata, opsets, op histogram, parameter
 * counts and bytes, and the module tree.
 *
 * @param model - The model.
 * @returns The inspection.
 * @example
 * ```ts
 * const info = inspectModel(await readModel('model.onnx'));
 * console.log(info.metadata.sample_rate, info.opHistogram.MatMul);
 * ```
 */
export function inspectModel(model: OnnxModel): ModelInspection {
  const p = model.proto;
  const g = p.graph ?? {};
  const inits = new Set((g.initializer ?? []).map((t) => t.name));
  const tree = moduleTree(model);
  return {
    name: model.name,
    irVersion: toNumber(p.ir_version),
    producer: [p.producer_name, p.producer_version].filter(Boolean).join(' '),
    opsets: (p.opset_import ?? []).map((o) => ({ domain: o.domain ?? '', version: toNumber(o.version) })),
    metadata: Object.fromEntries((p.metadata_props ?? []).map((e) => [e.key ?? '', e.value ?? ''])),
    // Old exporters list initializers as inputs too; they are not real inputs.
    inputs: (g.input ?? []).filter((v) => !inits.has(v.name)).map(summarize),
    outputs: (g.output ?? []).map(summarize),
    nodeCount: g.node?.length ?? 0,
    opHistogram: { ...tree.ops },
    parameterCount: tree.params,
    parameterBytes: tree.bytes,
    tree,
  };
}

/**
 * Renders an inspection as text: header, I/O, metadata, op histogram and the module tree.
 * @param info - From {@link inspectModel}.
 * @param options - `depth` of the module tree (default 4).
 * @returns Multi-line text for a terminal.
 * @example
 * ```ts
 * console.log(formatInspection(inspectModel(model), { depth: 3 }));
 * ```
 */
export function formatInspection(info: ModelInspection, options: { depth?: number } = {}): string {
  const io = (v: ValueSummary): string => `  ${v.name}: ${v.type} [${v.shape.join(', ')}]`;
  const ops = Object.entries(info.opHistogram)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`);
  return [
    `${info.name}: IR ${info.irVersion}, ${info.opsets.map((o) => `${o.domain || 'ai.onnx'} v${o.version}`).join(', ')}${info.producer ? `, from ${info.producer}` : ''}`,
    `${info.nodeCount} nodes, ${info.parameterCount.toLocaleString('en-US')} parameters (${formatBytes(info.parameterBytes)})`,
    'inputs:',
    ...info.inputs.map(io),
    'outputs:',
    ...info.outputs.map(io),
    'metadata:',
    ...Object.entries(info.metadata).map(([k, v]) => `  ${k} = ${v}`),
    `ops: ${ops.join(', ')}`,
    'modules:',
    formatModuleTree(info.tree, { depth: options.depth ?? 4 }),
  ].join('\n');
}
