import {
  DataType,
  toNumber,
  type GraphProto,
  type NodeProto,
  type OnnxModel,
  type TensorProto,
  type ValueInfo,
} from '@asrq/onnx';
import { float16ToFloat32 } from '@asrq/runtime';
import { intAttr } from './graph-context.js';

/** What {@link upcastFloat16} changed. */
export interface Float16Upcast {
  /** float16 tensors (initializers and constants) now stored as float32. */
  tensors: number;
  /** Nodes whose float16 type attribute (Cast `to`, `dtype`) now says float32. */
  nodes: number;
  /** float16 graph inputs, now cast to float32 right after entering. */
  inputs: string[];
  /** float16 graph outputs, now cast back to float16 right before leaving. */
  outputs: string[];
}

/** The float16 values of a tensor (raw bytes, or ONNX's int32_data holding one half per entry). */
function halfBits(t: TensorProto): Uint16Array {
  const raw = t.raw_data;
  if (raw && raw.byteLength > 0) {
    const aligned = raw.byteOffset % 2 === 0 ? raw : new Uint8Array(raw);
    return new Uint16Array(aligned.buffer, aligned.byteOffset, raw.byteLength / 2);
  }
  return Uint16Array.from(t.int32_data ?? []);
}

/** Rewrites a float16 tensor in place as float32 (exact). */
function upcastTensor(t: TensorProto): boolean {
  if (t.data_type !== DataType.FLOAT16) return false;
  const values = float16ToFloat32(halfBits(t));
  t.data_type = DataType.FLOAT;
  t.raw_data = new Uint8Array(values.buffer);
  t.int32_data = [];
  return true;
}

function upcastValueInfo(v: ValueInfo): void {
  const tt = v.type?.tensor_type;
  if (tt && tt.elem_type === DataType.FLOAT16) tt.elem_type = DataType.FLOAT;
}

const TYPE_ATTRIBUTES = new Set(['to', 'dtype']);

/** Upcasts a node's float16 attributes: tensors (Constant, ConstantOfShape) and type enums (Cast to, dtype). */
function upcastAttributes(node: NodeProto, count: Float16Upcast): void {
  for (const a of node.attribute ?? []) {
    if (a.t && upcastTensor(a.t)) count.tensors++;
    for (const t of (a.tensors as TensorProto[] | undefined) ?? []) if (upcastTensor(t)) count.tensors++;
    if (TYPE_ATTRIBUTES.has(a.name ?? '') && a.type === 2 && toNumber(a.i) === DataType.FLOAT16) {
      a.i = DataType.FLOAT;
      count.nodes++;
    }
    if (a.g) upcastGraph(a.g, count, false);
    for (const g of (a.graphs as GraphProto[] | undefined) ?? []) upcastGraph(g, count, false);
  }
}

/**
 * Upcasts a graph's tensors, node attributes and value types. A subgraph (If, Loop, Scan body)
 * computes in float32 throughout, its formal inputs and outputs included; the main graph keeps
 * float16 at its edges (see castInputs/castOutputs), except inputs that are initializers.
 */
function upcastGraph(g: GraphProto, count: Float16Upcast, top: boolean): void {
  for (const t of g.initializer ?? []) if (upcastTensor(t)) count.tensors++;
  for (const n of g.node ?? []) upcastAttributes(n, count);
  for (const v of g.value_info ?? []) upcastValueInfo(v);
  const initializers = new Set((g.initializer ?? []).map((t) => t.name));
  for (const v of g.input ?? []) if (!top || initializers.has(v.name)) upcastValueInfo(v);
  if (!top) for (const v of g.output ?? []) upcastValueInfo(v);
}

const isHalf = (v: ValueInfo): boolean => v.type?.tensor_type?.elem_type === DataType.FLOAT16;

/** Points every reader of `from` at `to`, in subgraphs too (which read outer tensors by name) unless they define `from` themselves. */
function renameInputs(g: GraphProto, from: string, to: string): void {
  for (const n of g.node ?? []) {
    n.input = (n.input ?? []).map((i) => (i === from ? to : i));
    for (const a of n.attribute ?? [])
      for (const sub of [...(a.g ? [a.g] : []), ...((a.graphs as GraphProto[] | undefined) ?? [])])
        if (!defines(sub, from)) renameInputs(sub, from, to);
  }
}

/** Whether a (sub)graph has its own tensor of this name (shadowing the outer one). */
function defines(g: GraphProto, name: string): boolean {
  return (
    (g.input ?? []).some((v) => v.name === name) ||
    (g.initializer ?? []).some((t) => t.name === name) ||
    (g.node ?? []).some((n) => (n.output ?? []).includes(name))
  );
}

const castTo = (n: NodeProto, type: number): boolean =>
  n.op_type === 'Cast' && (n.attribute ?? []).some((a) => a.name === 'to' && toNumber(a.i) === type);

/** A float16 graph input already converted: every reader is the Cast to float32 this module adds. */
function inputDone(g: GraphProto, name: string): boolean {
  const readers = (g.node ?? []).filter((n) => (n.input ?? []).includes(name));
  return readers.length > 0 && readers.every((n) => castTo(n, DataType.FLOAT) && n.name === `${name}_to_float32`);
}

/** A float16 graph output already converted: made by the Cast to float16 this module adds. */
function outputDone(g: GraphProto, name: string): boolean {
  return (g.node ?? []).some(
    (n) => (n.output ?? []).includes(name) && castTo(n, DataType.FLOAT16) && n.name === `${name}_to_float16`,
  );
}

/** float16 graph inputs keep their type; a Cast to float32 right after them feeds the graph. */
function castInputs(g: GraphProto, count: Float16Upcast): void {
  const casts: NodeProto[] = [];
  for (const v of g.input ?? []) {
    if (!isHalf(v) || (g.initializer ?? []).some((t) => t.name === v.name) || inputDone(g, v.name ?? '')) continue;
    const name = v.name ?? '';
    const inner = `${name}_float32`;
    renameInputs(g, name, inner);
    casts.push({
      op_type: 'Cast',
      name: `${name}_to_float32`,
      input: [name],
      output: [inner],
      attribute: [intAttr('to', DataType.FLOAT)],
    });
    count.inputs.push(name);
  }
  g.node = [...casts, ...(g.node ?? [])];
}

/** float16 graph outputs keep their type: the graph computes a float32 tensor and a Cast makes the output. */
function castOutputs(g: GraphProto, count: Float16Upcast): void {
  const inputs = new Set((g.input ?? []).map((v) => v.name));
  for (const v of g.output ?? []) {
    // An output that is a graph input passes through as it came (float16), never computed in float32.
    if (!isHalf(v) || outputDone(g, v.name ?? '') || inputs.has(v.name)) continue;
    const name = v.name ?? '';
    const inner = `${name}_float32_out`;
    for (const n of g.node ?? []) n.output = (n.output ?? []).map((o) => (o === name ? inner : o));
    renameInputs(g, name, inner);
    g.node!.push({
      op_type: 'Cast',
      name: `${name}_to_float16`,
      input: [inner],
      output: [name],
      attribute: [intAttr('to', DataType.FLOAT16)],
    });
    count.outputs.push(name);
  }
}

/**
 * Whether the model computes anything in float16 (float16 tensors, values, casts, or float16
 * inputs and outputs not yet behind the boundary Casts {@link upcastFloat16} adds).
 * @param model - The model.
 * @returns True when {@link upcastFloat16} would change it.
 */
export function hasFloat16(model: OnnxModel): boolean {
  const g = model.proto.graph;
  if (!g) return false;
  const inputs = new Set((g.input ?? []).map((v) => v.name));
  return (
    halfInside(g) ||
    (g.input ?? []).some((v) => isHalf(v) && !inputDone(g, v.name ?? '')) ||
    (g.output ?? []).some((v) => isHalf(v) && !outputDone(g, v.name ?? '') && !inputs.has(v.name)) ||
    (g.node ?? []).some((n) => castTo(n, DataType.FLOAT16) && !(n.output ?? []).some((o) => outputDone(g, o)))
  );
}

/** float16 tensors, value types or type attributes inside a graph or its subgraphs (edges of the main graph aside). */
function halfInside(g: GraphProto): boolean {
  for (const t of g.initializer ?? []) if (t.data_type === DataType.FLOAT16) return true;
  if ((g.value_info ?? []).some(isHalf)) return true;
  for (const n of g.node ?? [])
    for (const a of n.attribute ?? []) {
      if (a.t?.data_type === DataType.FLOAT16) return true;
      if (TYPE_ATTRIBUTES.has(a.name ?? '') && a.name !== 'to' && toNumber(a.i) === DataType.FLOAT16) return true;
      for (const sub of [...(a.g ? [a.g] : []), ...((a.graphs as GraphProto[] | undefined) ?? [])])
        if (halfInside(sub) || [...(sub.input ?? []), ...(sub.output ?? [])].some(isHalf)) return true;
    }
  return false;
}

/**
 * Turns a float16 model into the same model computing in float32, with its inputs and outputs
 * still float16 (a Cast at each), so the result replaces it as it is. onnxruntime's CPU provider
 * has float16 kernels for few ops and casts around the rest anyway; quantized parts become int8
 * from these exact float32 values, and the float parts run in float32 (said in the report).
 * Every float16 initializer, constant, value type and type attribute (Cast `to`, `dtype`) is
 * converted, in subgraphs too.
 *
 * @param model - Modified in place.
 * @returns What changed, or undefined when the model has nothing in float16.
 * @example
 * ```ts
 * const up = upcastFloat16(model); // { tensors: 211, nodes: 4, inputs: ['input_values'], outputs: ['logits'] }
 * ```
 */
export function upcastFloat16(model: OnnxModel): Float16Upcast | undefined {
  const g = model.proto.graph;
  if (!g || !hasFloat16(model)) return undefined;
  const count: Float16Upcast = { tensors: 0, nodes: 0, inputs: [], outputs: [] };
  upcastGraph(g, count, true);
  castInputs(g, count);
  castOutputs(g, count);
  return count;
}
