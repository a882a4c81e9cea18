import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultModelPath } from '@asrq/fixtures';
import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from './codec.js';
import { OnnxError } from './errors.js';
import { readModel, writeModel } from './node-io.js';
import { floatData } from './tensor.js';
import { useTempDirs } from '@asrq/test-temp';

const { tempDir } = useTempDirs();

describe('ONNX model I/O', () => {
  it('re-encodes the bundled model byte for byte', async () => {
    const bytes = await readFile(defaultModelPath);
    const model = decodeModel(bytes, { name: 'bundled' });
    expect(model.proto.graph?.node?.length).toBe(622);
    expect(Buffer.from(encodeModel(model)).equals(bytes)).toBe(true);
  });

  it('keeps weights as views into the file bytes', async () => {
    const bytes = await readFile(defaultModelPath);
    const model = decodeModel(bytes);
    const raw = model.proto.graph!.initializer![2]!.raw_data!;
    expect(raw.buffer).toBe(bytes.buffer);
  });

  it('round-trips through external data and back', async () => {
    const dir = await tempDir('asrq-onnx-');
    const model = await readModel(defaultModelPath);
    const out = join(dir, 'ext.onnx');
    await writeModel(model, out, { externalDataThreshold: 1024 });
    expect((await readdir(dir)).sort()).toEqual(['ext.onnx', 'ext.onnx.data']);
    const small = await readFile(out);
    expect(small.byteLength).toBeLessThan(500_000);
    const back = await readModel(out);
    expect(Buffer.from(encodeModel(back)).equals(Buffer.from(encodeModel(model)))).toBe(true);
    const w = back.proto.graph!.initializer!.find((t) => t.name === 'onnx::MatMul_815')!;
    expect(Array.from(floatData(w).subarray(0, 8))).toEqual(
      Array.from(floatData(model.proto.graph!.initializer!.find((t) => t.name === 'onnx::MatMul_815')!).subarray(0, 8)),
    );
    // The in-memory model is untouched by writing external data.
    expect(Buffer.from(encodeModel(model)).equals(await readFile(defaultModelPath))).toBe(true);
  });

  it('rejects files that are not models with stable codes', async () => {
    // A graph (field 7, empty) but no IR version.
    expect(() => decodeModel(new Uint8Array([0x3a, 0x00]), { name: 'noir.onnx' })).toThrow(
      /noir\.onnx: not an ONNX model/,
    );
    expect(() => decodeModel(new TextEncoder().encode('hello, not a model'), { name: 'x.onnx' })).toThrow(OnnxError);
    await expect(readModel('/nonexistent/model.onnx')).rejects.toMatchObject({ code: 'ONNX_READ_FAILED' });
    try {
      decodeModel(new Uint8Array([8, 1]), { name: 'tiny.onnx' });
      expect.unreachable();
    } catch (e) {
      expect((e as OnnxError).code).toBe('ONNX_NOT_A_MODEL');
      expect((e as OnnxError).message).toContain('tiny.onnx');
    }
  });
});
