import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultModelPath } from '@asrq/fixtures';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeModel } from './codec.js';
import { readModel, writeModel } from './node-io.js';

// Every scratch folder is removed after the tests.
const scratchDirs: string[] = [];
afterAll(() => Promise.all(scratchDirs.map((dir) => rm(dir, { recursive: true, force: true }))));
async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'asrq-onnx-io-'));
  scratchDirs.push(dir);
  return dir;
}

describe('external data', () => {
  it('a model read with external data is written with external data again, and round-trips', async () => {
    const dir = await scratch();
    const source = join(dir, 'src.onnx');
    await writeModel(await readModel(defaultModelPath), source, { externalDataThreshold: 1024 });
    const model = await readModel(source);
    expect(model.externalDataFiles).toEqual([join(dir, 'src.onnx.data')]);
    const out = join(dir, 'copy.onnx');
    await writeModel(model, out);
    expect((await readdir(dir)).sort()).toEqual(['copy.onnx', 'copy.onnx.data', 'src.onnx', 'src.onnx.data']);
    expect((await stat(out)).size).toBeLessThan(500_000);
    const back = await readModel(out);
    expect(Buffer.from(encodeModel(back)).equals(Buffer.from(encodeModel(model)))).toBe(true);
    // Infinity forces one self-contained file.
    await writeModel(model, join(dir, 'single.onnx'), { externalDataThreshold: Number.POSITIVE_INFINITY });
    expect((await stat(join(dir, 'single.onnx'))).size).toBeGreaterThan(15_000_000);
    expect(await readdir(dir)).not.toContain('single.onnx.data');
  });

  it('a model too large for one protobuf file gets external data without being asked', async () => {
    const dir = await scratch();
    const model = await readModel(defaultModelPath);
    await writeModel(model, join(dir, 'big.onnx'), { maxProtobufBytes: 8_000_000 });
    expect((await readdir(dir)).sort()).toEqual(['big.onnx', 'big.onnx.data']);
    await writeModel(model, join(dir, 'fits.onnx'), { maxProtobufBytes: 64_000_000 });
    expect(await readdir(dir)).not.toContain('fits.onnx.data');
  });

  it('never replaces the external-data file the model was read from', async () => {
    const dir = await scratch();
    const source = join(dir, 'm.onnx');
    await writeModel(await readModel(defaultModelPath), source, { externalDataThreshold: 1024 });
    const before = await readFile(join(dir, 'm.onnx.data'));
    const model = await readModel(source);
    // -o m.onnx.data: the output itself is the input's data file.
    await expect(writeModel(model, join(dir, 'm.onnx.data'))).rejects.toMatchObject({
      code: 'ONNX_WRITE_FAILED',
      message: expect.stringContaining('external-data file'),
    });
    // An output whose own data file would be the input's (m.onnx -> m.onnx.data): the same rule.
    await expect(writeModel(model, source)).rejects.toMatchObject({ code: 'ONNX_WRITE_FAILED' });
    // Elsewhere is fine.
    await writeModel(model, join(dir, 'sub', 'x.onnx'));
    // The source data is byte-identical after all attempts.
    expect(Buffer.from(await readFile(join(dir, 'm.onnx.data'))).equals(before)).toBe(true);
  });

  it('names the tensor and sizes when the data file is truncated', async () => {
    const dir = await scratch();
    const source = join(dir, 't.onnx');
    await writeModel(await readModel(defaultModelPath), source, { externalDataThreshold: 1024 });
    const data = await readFile(join(dir, 't.onnx.data'));
    await writeFile(join(dir, 't.onnx.data'), data.subarray(0, data.byteLength - 100));
    await expect(readModel(source)).rejects.toMatchObject({
      code: 'ONNX_EXTERNAL_DATA',
      message: expect.stringMatching(/tensor ".+": external data t\.onnx\.data is \d+ bytes, shorter than offset/),
    });
  });
});
