import { makeTensor, type NodeProto, type OnnxModel, type TensorProto, type ValueInfo } from '@asrq/onnx';

/** A float32 (or other element type) value info with a fixed or symbolic shape. */
export function floatInfo(name: string, shape: Array<number | string>, elemType = 1): ValueInfo {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: elemType,
        shape: { dim: shape.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}

/** Deterministic pseudo-random floats in [-amp, amp). */
export function randomFloats(n: number, seed: number, amp = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = ((s / 2 ** 32) * 2 - 1) * amp;
  }
  return out;
}

/** A model with the given nodes, inputs, outputs and initializers (opset 17 and IR 8 unless given). */
export function buildModel(parts: {
  nodes: NodeProto[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  initializers: TensorProto[];
  opset?: number;
  irVersion?: number;
}): OnnxModel {
  return {
    name: 'test-graph',
    proto: {
      ir_version: parts.irVersion ?? 8,
      producer_name: 'asrq-test',
      opset_import: [{ domain: '', version: parts.opset ?? 17 }],
      metadata_props: [{ key: 'purpose', value: 'test' }],
      graph: {
        name: 'g',
        node: parts.nodes,
        input: parts.inputs,
        output: parts.outputs,
        initializer: parts.initializers,
      },
    },
  };
}

export { makeTensor };
