import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { encodeModel } from './codec.js';
import { readModel, writeModel } from './node-io.js';
import { opsetVersion } from './opset.js';
import { upgradeOpset } from './opset-upgrade.js';
import { toNumber, type OnnxModel } from './types.js';
import { useTempDirs } from '@asrq/test-temp';

const { tempDir } = useTempDirs();

const zooMatrix = fileURLToPath(new URL('../../fixtures/zoo-matrix/', import.meta.url));
const manifest = JSON.parse(await readFile(join(zooMatrix, 'manifest.json'), 'utf8')) as {
  variants: Array<{ family: string; variant: string; path?: string }>;
};
const opset11 = manifest.variants.filter((v) => v.variant === 'opset11' && v.path);

/** Random feeds shaped by the model's inputs: 1 row, 16000 samples or 120 feature frames, lengths and masks to match. */
function feedsFor(model: OnnxModel): Record<string, Tensor> {
  const inputs = model.proto.graph!.input!;
  const float = inputs.find((v) => v.type?.tensor_type?.elem_type === 1)!;
  const dims = float.type!.tensor_type!.shape!.dim!;
  const fixed = dims.map((d) => (d.dim_value ? toNumber(d.dim_value) : undefined));
  const shape = fixed.map((d, i) => d ?? (i === 0 ? 1 : dims.length === 2 ? 16000 : 120));
  const time = dims.length === 2 ? shape[1]! : fixed[1] === undefined ? shape[1]! : shape[2]!;
  let seed = 7;
  const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return (seed / 2 ** 32 - 0.5) * 0.5;
  });
  const feeds: Record<string, Tensor> = { [float.name!]: new Tensor('float32', values, shape) };
  for (const v of inputs) {
    if (v === float) continue;
    const rank = v.type?.tensor_type?.shape?.dim?.length ?? 1;
    feeds[v.name!] =
      rank === 1
        ? new Tensor('int64', BigInt64Array.of(BigInt(time)), [1])
        : new Tensor('int64', new BigInt64Array(shape[0]! * shape[1]!).fill(1n), [shape[0]!, shape[1]!]);
  }
  return feeds;
}

async function run(model: OnnxModel, feeds: Record<string, Tensor>): Promise<Float32Array[]> {
  const s = await InferenceSession.create(encodeModel(model), { intraOpNumThreads: 1 });
  try {
    const out = await s.run(feeds);
    return Object.values(out)
      .filter((t) => t.type === 'float32')
      .map((t) => t.data as Float32Array);
  } finally {
    await s.release();
  }
}

const python = [process.env.ASRQ_PYTHON, '/usr/bin/python3'].find(
  (p) => p && spawnSync(p, ['-c', 'import onnx; assert onnx.defs.onnx_opset_version() >= 21']).status === 0,
);

describe('upgradeOpset', () => {
  for (const v of opset11) {
    it(`${v.family}: opset 11 -> 13, 17, 18, 21 computes the same (torch's opset-11 export)${python ? ' and passes onnx.checker' : '; onnx.checker skipped: no python with onnx that knows opset 21 (set ASRQ_PYTHON)'}`, async () => {
      const original = await readModel(join(zooMatrix, v.path!));
      const feeds = feedsFor(original);
      const want = await run(original, feeds);
      const dir = await tempDir('asrq-upgrade-');
      for (const target of [13, 17, 18, 21]) {
        const model = await readModel(join(zooMatrix, v.path!));
        const result = upgradeOpset(model, target);
        expect(opsetVersion(model)).toBe(target);
        expect(result.irVersion.to).toBeGreaterThanOrEqual(result.irVersion.from);
        const got = await run(model, feeds);
        got.forEach((g, i) => {
          let worst = 0;
          for (let j = 0; j < g.length; j++) worst = Math.max(worst, Math.abs(g[j]! - want[i]![j]!));
          expect(worst, `${v.family} at ${target}`).toBeLessThan(1e-5);
        });
        if (python) {
          const path = join(dir, `${target}.onnx`);
          await writeModel(model, path);
          const r = spawnSync(
            python,
            ['-c', 'import onnx,sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)', path],
            {
              encoding: 'utf8',
            },
          );
          expect(r.stderr, `onnx.checker on ${v.family} at ${target}`).toBe('');
        }
      }
    });
  }

  it('rewrites what changed: axes to inputs, the softmax axis, Split num_outputs', async () => {
    const model = await readModel(join(zooMatrix, opset11.find((v) => v.family === 'hf-wav2vec2-base')!.path!));
    const result = upgradeOpset(model, 18);
    expect(result.adapted).toMatchObject({ Unsqueeze: expect.any(Number), ReduceMean: expect.any(Number), Softmax: 1 });
    for (const n of model.proto.graph!.node!.filter((x) => x.op_type === 'Unsqueeze' || x.op_type === 'ReduceMean'))
      expect(n.attribute?.some((a) => a.name === 'axes')).toBe(false);
  });

  it('refuses downgrades, old models and targets out of range, naming what to do', async () => {
    const model = await readModel(join(zooMatrix, opset11[0]!.path!));
    expect(() => upgradeOpset(model, 10)).toThrow(/never down/);
    expect(() => upgradeOpset(model, 22)).toThrow(/at most 21/);
    model.proto.opset_import![0]!.version = 9;
    expect(() => upgradeOpset(model, 13)).toThrow(expect.objectContaining({ code: 'ONNX_UPGRADE_UNSUPPORTED' }));
  });
});
