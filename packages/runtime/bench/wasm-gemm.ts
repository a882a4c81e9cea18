/**
 * Why int8 gains less in the browser: the wav2vec2-base shape's weight products alone, float
 * against asrq's two dynamic int8 forms, in onnxruntime-node and in onnxruntime-web's WebAssembly
 * build (SIMD, 1 thread) in the same process, interleaved. Each model is one product of a
 * [1, frames, K] activation with a constant [K, N] weight, quantized by asrq's own quantizer.
 *
 *   pnpm --filter @asrq/runtime exec tsx --conditions=@asrq/source bench/wasm-gemm.ts [--frames 150] [--runs 20]
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { encodeModel, makeTensor, type OnnxModel } from '@asrq/onnx';
import { InferenceSession as NodeSession, Tensor as NodeTensor } from 'onnxruntime-node';
import { InferenceSession as WebSession, Tensor as WebTensor } from 'onnxruntime-web';
// The quantizer is not a dependency of runtime; this script borrows it to make the int8 forms.
import { parsePlan, quantizeModel } from '../../quantize/src/index.js';
import { configureWasm } from '../src/browser/index.js';

const argument = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const frames = argument('--frames', 150);
const runs = argument('--runs', 20);
configureWasm({ threads: 1 });

function product(k: number, n: number): OnnxModel {
  let s = 12345;
  const w = Float32Array.from({ length: k * n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * 0.1;
  });
  const info = (name: string, dims: Array<number | string>) => ({
    name,
    type: {
      tensor_type: {
        elem_type: 1,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) },
      },
    },
  });
  return {
    name: 'gemm',
    proto: {
      ir_version: 8,
      producer_name: 'asrq-bench',
      opset_import: [{ domain: '', version: 17 }],
      graph: {
        name: 'gemm',
        node: [{ op_type: 'MatMul', name: 'layer.feed_forward', input: ['x', 'w'], output: ['y'] }],
        input: [info('x', [1, 'frames', k])],
        output: [info('y', [1, 'frames', n])],
        initializer: [makeTensor('w', w, [k, n])],
      },
    },
  } as OnnxModel;
}

async function int8(model: OnnxModel, format: string): Promise<Uint8Array> {
  const plan = parsePlan(
    JSON.stringify({ version: 1, rules: [{ select: '', mode: 'dynamic', ops: ['MatMul'] }], dynamicFormat: format }),
  );
  const copy = structuredClone(model);
  await quantizeModel(copy, plan);
  return encodeModel(copy);
}

const shapes = [
  { label: 'feed-forward in (768 x 3072)', k: 768, n: 3072 },
  { label: 'attention projection (768 x 768)', k: 768, n: 768 },
];
const forms = ['float', 'MatMulInteger', 'DynamicQuantizeMatMul'] as const;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `${cpus()[0]?.model}, 1 thread, ${frames} frames (about ${(frames / 50).toFixed(1)} s of audio), median of ${runs} runs, load average ${loadavg()[0]!.toFixed(2)}`,
);
console.log('| product | form | node ms | wasm ms | wasm / node | int8 speedup node | int8 speedup wasm |');
console.log('|---|---|--:|--:|--:|--:|--:|');
for (const shape of shapes) {
  const model = product(shape.k, shape.n);
  const bytes = {
    float: encodeModel(model),
    MatMulInteger: await int8(model, 'MatMulInteger'),
    DynamicQuantizeMatMul: await int8(model, 'DynamicQuantizeMatMul'),
  };
  const x = Float32Array.from({ length: frames * shape.k }, (_, i) => Math.sin(i * 0.37));
  const sessions = await Promise.all(
    forms.map(async (f) => ({
      node: await NodeSession.create(bytes[f], { intraOpNumThreads: 1, graphOptimizationLevel: 'all' }),
      web: await WebSession.create(bytes[f], { executionProviders: ['wasm'], graphOptimizationLevel: 'all' }),
    })),
  );
  const times = forms.map(() => ({ node: [] as number[], web: [] as number[] }));
  for (let r = -3; r < runs; r++) {
    for (const [i, s] of sessions.entries()) {
      let t = performance.now();
      await s.node.run({ x: new NodeTensor('float32', x, [1, frames, shape.k]) });
      if (r >= 0) times[i]!.node.push(performance.now() - t);
      t = performance.now();
      await s.web.run({ x: new WebTensor('float32', x, [1, frames, shape.k]) });
      if (r >= 0) times[i]!.web.push(performance.now() - t);
    }
  }
  const [fn, fw] = [median(times[0]!.node), median(times[0]!.web)];
  for (const [i, f] of forms.entries()) {
    const [n, w] = [median(times[i]!.node), median(times[i]!.web)];
    console.log(
      `| ${shape.label} | ${f} | ${n.toFixed(3)} | ${w.toFixed(3)} | ${(w / n).toFixed(1)}x | ${(fn / n).toFixed(2)}x | ${(fw / w).toFixed(2)}x |`,
    );
  }
  for (const s of sessions) await Promise.all([s.node.release(), s.web.release()]);
}
console.log(`load average at the end ${loadavg()[0]!.toFixed(2)}`);
