import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeModel, type ModelProto } from '@asrq/onnx';
import { afterAll, describe, expect, it } from 'vitest';
import { fc, fuzzRuns, mutate, mutationsArb, valueOrAsrqErrorAsync } from '../../../scripts/fuzz/kit.js';
import { readOnnxMetadata } from './onnx-metadata.js';

const work = mkdtempSync(join(tmpdir(), 'asrq-metadata-fuzz-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const VALID = encodeModel({
  name: 'small',
  proto: {
    ir_version: 8,
    opset_import: [{ domain: '', version: 17 }],
    metadata_props: [
      { key: 'sample_rate', value: '16000' },
      { key: 'model_type', value: 'EncDecCTCModelBPE' },
    ],
    graph: {
      name: 'g',
      node: [{ name: 'n', op_type: 'Identity', input: ['x'], output: ['y'] }],
      input: [{ name: 'x' }],
      output: [{ name: 'y' }],
    },
  } as ModelProto,
});

let counter = 0;
async function check(bytes: Uint8Array): Promise<void> {
  const path = join(work, `m${counter++ % 8}.onnx`);
  writeFileSync(path, bytes);
  const metadata = await valueOrAsrqErrorAsync(() => readOnnxMetadata(path), /^RUNTIME_/);
  if (metadata) for (const value of Object.values(metadata)) expect(typeof value).toBe('string');
}

describe('fuzz: ONNX metadata reader gives key/value strings or a RUNTIME_* error', () => {
  it('reads the unmutated model', async () => {
    const path = join(work, 'valid.onnx');
    writeFileSync(path, VALID);
    expect(await readOnnxMetadata(path)).toEqual({ sample_rate: '16000', model_type: 'EncDecCTCModelBPE' });
  });

  it('on mutated models and random bytes (huge length fields must not allocate)', async () => {
    await fc.assert(
      fc.asyncProperty(mutationsArb(4), async (mutations) => check(mutate(VALID, mutations))),
      fuzzRuns(1901, 200),
    );
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 120 }), async (bytes) => check(bytes)),
      fuzzRuns(1902, 100),
    );
  });
});
