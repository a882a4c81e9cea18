import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns, mutate, mutationsArb, valueOrAsrqError } from '../../../scripts/fuzz/kit.js';
import { decodeModel, encodeModel } from './codec.js';
import { formatInspection, inspectModel } from './inspect.js';
import type { ModelProto } from './types.js';

/** A small real-shaped model: two named MatMul nodes with weights, metadata and opsets. */
function smallModel(): Uint8Array {
  const weight = (name: string) => ({
    name,
    dims: [4, 4],
    data_type: 1,
    raw_data: new Uint8Array(new Float32Array(16).fill(0.25).buffer),
  });
  const value = (name: string) => ({
    name,
    type: { tensor_type: { elem_type: 1, shape: { dim: [{ dim_param: 'batch' }, { dim_value: 4 }] } } },
  });
  const proto: ModelProto = {
    ir_version: 8,
    producer_name: 'fuzz',
    opset_import: [{ domain: '', version: 17 }],
    metadata_props: [
      { key: 'sample_rate', value: '16000' },
      { key: 'vocabulary', value: 'a b c' },
    ],
    graph: {
      name: 'g',
      node: [
        { name: '/encoder/layers.0/MatMul', op_type: 'MatMul', input: ['x', 'w0'], output: ['h'] },
        {
          name: '/encoder/ctc_lin/MatMul',
          op_type: 'MatMul',
          input: ['h', 'w1'],
          output: ['y'],
          attribute: [{ name: 'note', type: 3, s: new TextEncoder().encode('x') }],
        },
      ],
      initializer: [weight('w0'), weight('w1')],
      input: [value('x')],
      output: [value('y')],
    },
  } as ModelProto;
  return encodeModel({ proto, name: 'small' });
}

const VALID = smallModel();

/** decodeModel gives a model (which then inspects and re-encodes) or ONNX_NOT_A_MODEL. */
function check(bytes: Uint8Array): void {
  const model = valueOrAsrqError(() => decodeModel(bytes, { name: 'fuzz.onnx' }), /^ONNX_/);
  if (!model) return;
  expect(model.proto.graph).toBeDefined();
  valueOrAsrqError(() => formatInspection(inspectModel(model)), /^ONNX_/);
  valueOrAsrqError(() => encodeModel(model), /^ONNX_/);
}

describe('fuzz: ONNX decoder gives a model or an ONNX_* error', () => {
  it('decodes the unmutated model', () => {
    expect(inspectModel(decodeModel(VALID)).metadata).toEqual({ sample_rate: '16000', vocabulary: 'a b c' });
  });

  it('on mutated models (bit flips, truncation, splices, huge length fields)', () => {
    fc.assert(
      fc.property(mutationsArb(4), fc.boolean(), (mutations, headerOnly) =>
        check(mutate(VALID, mutations, headerOnly ? 48 : undefined)),
      ),
      fuzzRuns(1801, 1500),
    );
  });

  it('on random bytes, and random bytes after a valid prefix', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => check(bytes)),
      fuzzRuns(1802, 500),
    );
    fc.assert(
      fc.property(fc.nat({ max: VALID.length }), fc.uint8Array({ maxLength: 64 }), (cut, tail) => {
        const bytes = new Uint8Array(cut + tail.length);
        bytes.set(VALID.subarray(0, cut));
        bytes.set(tail, cut);
        check(bytes);
      }),
      fuzzRuns(1803, 500),
    );
  });

  it('a length prefix claiming gigabytes is an error, not an allocation', () => {
    // Field 7 (graph), wire type 2, length varint 0xFFFFFFFF0F (4 GiB), then 10 bytes.
    const bytes = Uint8Array.from([0x08, 0x08, 0x3a, 0xff, 0xff, 0xff, 0xff, 0x0f, ...new Array<number>(10).fill(0)]);
    expect(() => decodeModel(bytes, { name: 'huge.onnx' })).toThrow(
      expect.objectContaining({ code: 'ONNX_NOT_A_MODEL', message: expect.stringContaining('huge.onnx') }),
    );
  });
});
