/**
 * A per-op profile of a model in onnxruntime-web's WebAssembly build, next to the same profile
 * natively. onnxruntime-web's own profiler cannot be read: its WebAssembly module is built without
 * a file system, so `enableProfiling` writes nowhere and `endProfiling` only frees the file name
 * (onnxruntime-web 1.30, `dist/ort.mjs`). So this script times every node on its own instead:
 *
 * 1. onnxruntime-node optimizes the model at level `extended` (the fusions both builds apply:
 *    FusedMatMul, Gelu, LayerNormalization, DynamicQuantizeMatMul, MatMulIntegerToFloat, ...; not
 *    the native-only NCHWc layouts) and saves it;
 * 2. one utterance runs through that graph natively with every node output exposed, which gives
 *    each node's real inputs;
 * 3. each node becomes a one-node model (its initializers included) and is timed in
 *    onnxruntime-node and in onnxruntime-web (SIMD, 1 thread), interleaved, median of `--runs`.
 *
 * The sums come out near the whole model's time (printed for both, so the gap is visible: it is
 * what one-node sessions cannot see, such as memory reuse between nodes). Prints one markdown
 * table per model: time per op type in WebAssembly and natively, and their ratio.
 *
 *   pnpm --filter @asrq/runtime exec tsx --conditions=@asrq/source bench/wasm-op-profile.ts \
 *     [--model label=path ...] [--runs 5] [--utterance 0]
 *
 * Default models: the docs' Try it page float and int8 files (apps/docs/public/try/). Inputs:
 * `audio` [1, samples] and `audio_lengths` [1] from an utterance of the bundled dev-mini corpus,
 * so a model with other inputs needs its own feeds (not handled here).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCorpus, readAudio } from '@asrq/audio';
import { defaultCorpusDir } from '@asrq/fixtures';
import { decodeModel, encodeModel, type OnnxModel } from '@asrq/onnx';
import { InferenceSession as NodeSession, Tensor as NodeTensor } from 'onnxruntime-node';
import { InferenceSession as WebSession, Tensor as WebTensor } from 'onnxruntime-web';
import { configureWasm } from '../src/browser/index.js';

const argument = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const runs = argument('--runs', 5);
const utterance = argument('--utterance', 0);
const tryDir = fileURLToPath(new URL('../../../apps/docs/public/try/', import.meta.url));
const extra = process.argv.flatMap((arg, i) => (process.argv[i - 1] === '--model' ? [arg] : []));
const models = extra.length
  ? extra.map((spec) => {
      const at = spec.indexOf('=');
      if (at <= 0) throw new Error(`--model wants label=path, got "${spec}"`);
      return { label: spec.slice(0, at), path: resolve(spec.slice(at + 1)) };
    })
  : [
      { label: 'float', path: join(tryDir, 'model.onnx') },
      { label: 'int8', path: join(tryDir, 'model.int8.onnx') },
    ];
configureWasm({ threads: 1 });

type Value = { type: NodeTensor.Type; data: NodeTensor.DataType; dims: readonly number[] };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The model as onnxruntime-node optimizes it at level `extended`. */
async function optimized(path: string, dir: string): Promise<OnnxModel> {
  const file = join(dir, 'optimized.onnx');
  const session = await NodeSession.create(path, {
    graphOptimizationLevel: 'extended',
    optimizedModelFilePath: file,
    intraOpNumThreads: 1,
  });
  await session.release();
  return decodeModel(new Uint8Array(await readFile(file)), { name: path });
}

/** Every node output's value on one utterance (graph outputs without a type: onnxruntime infers them). */
async function capture(model: OnnxModel, feeds: Record<string, NodeTensor>): Promise<Map<string, Value>> {
  const copy = structuredClone(model);
  const graph = copy.proto.graph!;
  const have = new Set((graph.output ?? []).map((o) => o.name));
  for (const node of graph.node ?? [])
    for (const out of node.output ?? []) if (out && !have.has(out)) graph.output!.push({ name: out });
  const session = await NodeSession.create(encodeModel(copy), { graphOptimizationLevel: 'disabled' });
  const result = await session.run(feeds);
  await session.release();
  const values = new Map<string, Value>();
  for (const [name, t] of Object.entries(feeds)) values.set(name, { type: t.type, data: t.data, dims: t.dims });
  for (const [name, t] of Object.entries(result)) values.set(name, { type: t.type, data: t.data, dims: t.dims });
  return values;
}

const ELEM: Record<string, number> = { float32: 1, uint8: 2, int8: 3, int32: 6, int64: 7, bool: 9, float16: 10 };

/** One node as a model: its activation inputs become graph inputs, its initializers stay. */
function oneNode(
  model: OnnxModel,
  index: number,
  values: Map<string, Value>,
): { bytes: Uint8Array; inputs: string[] } | undefined {
  const graph = model.proto.graph!;
  const node = graph.node![index]!;
  if ((node.attribute ?? []).some((a) => a.g || (a.graphs as unknown[] | undefined)?.length)) return undefined;
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name, t]));
  // A node may read one tensor twice (x * x): one graph input for it.
  const inputs = [...new Set((node.input ?? []).filter((n) => n && !initializers.has(n)))];
  if (inputs.some((n) => !values.has(n))) return undefined;
  const info = (name: string) => {
    const v = values.get(name)!;
    return {
      name,
      type: { tensor_type: { elem_type: ELEM[v.type], shape: { dim: v.dims.map((d) => ({ dim_value: d })) } } },
    };
  };
  const outputs = (node.output ?? []).filter((n) => n && values.has(n));
  const single: OnnxModel = {
    name: node.name ?? `node ${index}`,
    proto: {
      ...model.proto,
      graph: {
        name: 'one',
        node: [node],
        input: inputs.map(info),
        output: outputs.map(info),
        initializer: [...new Set((node.input ?? []).filter((n) => initializers.has(n)))].map(
          (n) => initializers.get(n)!,
        ),
      },
    },
  } as OnnxModel;
  return { bytes: encodeModel(single), inputs };
}

const corpus = await openCorpus(defaultCorpusDir);
const item = corpus.items[utterance]!;
const audio = await readAudio(item.audioPath, { sampleRate: 16000 });
const feeds = {
  audio: new NodeTensor('float32', audio, [1, audio.length]),
  audio_lengths: new NodeTensor('int64', BigInt64Array.from([BigInt(audio.length)]), [1]),
};
console.log(
  `${cpus()[0]?.model}, 1 thread, utterance ${item.id} (${(audio.length / 16000).toFixed(1)} s), median of ${runs} runs per node, load average ${loadavg()[0]!.toFixed(2)}`,
);

const dir = await mkdtemp(join(tmpdir(), 'asrq-wasm-profile-'));
try {
  for (const { label, path } of models) {
    const model = await optimized(path, dir);
    const values = await capture(model, feeds);
    const perOp = new Map<string, { node: number; wasm: number; count: number }>();
    const overhead = await callOverhead();
    let skipped = 0;
    for (let i = 0; i < (model.proto.graph!.node ?? []).length; i++) {
      const node = model.proto.graph!.node![i]!;
      const one = oneNode(model, i, values);
      if (!one) {
        skipped++;
        continue;
      }
      const nodeSession = await NodeSession.create(one.bytes, {
        intraOpNumThreads: 1,
        graphOptimizationLevel: 'disabled',
      });
      const webSession = await WebSession.create(one.bytes, {
        executionProviders: ['wasm'],
        graphOptimizationLevel: 'disabled',
      });
      const nodeFeeds = Object.fromEntries(
        one.inputs.map((n) => {
          const v = values.get(n)!;
          return [n, new NodeTensor(v.type, v.data as never, v.dims)];
        }),
      );
      const webFeeds = Object.fromEntries(
        one.inputs.map((n) => {
          const v = values.get(n)!;
          return [n, new WebTensor(v.type as never, v.data as never, v.dims)];
        }),
      );
      const t = await timeBoth(nodeSession, webSession, nodeFeeds, webFeeds, { warmup: 1, runs });
      const op = `${node.domain ? `${node.domain}.` : ''}${node.op_type}`;
      const entry = perOp.get(op) ?? { node: 0, wasm: 0, count: 0 };
      // What a run of a one-node session costs beyond its node (the call, feeding, fetching) is not the node's.
      entry.node += Math.max(0, t.node - overhead.node);
      entry.wasm += Math.max(0, t.wasm - overhead.wasm);
      entry.count++;
      perOp.set(op, entry);
    }
    const whole = await wholeModel(model, feeds);
    const total = [...perOp.values()].reduce((s, e) => ({ node: s.node + e.node, wasm: s.wasm + e.wasm }), {
      node: 0,
      wasm: 0,
    });
    console.log(
      `\n**${label}** (${path}): ${model.proto.graph!.node!.length} nodes after optimisation, ${skipped} not timed alone (subgraphs, or inputs no node computes); sum of nodes (less ${(overhead.node * 1000).toFixed(0)} µs native and ${(overhead.wasm * 1000).toFixed(0)} µs WebAssembly per call, a one-node session's own cost) ${total.node.toFixed(1)} ms native, ${total.wasm.toFixed(1)} ms WebAssembly; whole model ${whole.node.toFixed(1)} ms native, ${whole.wasm.toFixed(1)} ms WebAssembly\n`,
    );
    console.log('| op | nodes | native ms | share | WebAssembly ms | share | WebAssembly / native |');
    console.log('|---|--:|--:|--:|--:|--:|--:|');
    for (const [op, e] of [...perOp].sort((a, b) => b[1].wasm - a[1].wasm)) {
      if (e.wasm / total.wasm < 0.005 && e.node / total.node < 0.005) continue;
      console.log(
        `| ${op} | ${e.count} | ${e.node.toFixed(2)} | ${((100 * e.node) / total.node).toFixed(1)} % | ${e.wasm.toFixed(2)} | ${((100 * e.wasm) / total.wasm).toFixed(1)} % | ${(e.wasm / e.node).toFixed(1)}x |`,
      );
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
console.log(`\nload average at the end ${loadavg()[0]!.toFixed(2)}`);

/** A run of a one-node session that does nothing (Identity of 4 floats): the per-call cost every node's time includes. */
async function callOverhead(): Promise<{ node: number; wasm: number }> {
  const identity: OnnxModel = {
    name: 'identity',
    proto: {
      ir_version: 8,
      opset_import: [{ domain: '', version: 17 }],
      graph: {
        name: 'identity',
        node: [{ op_type: 'Identity', name: 'id', input: ['x'], output: ['y'] }],
        input: [{ name: 'x', type: { tensor_type: { elem_type: 1, shape: { dim: [{ dim_value: 4 }] } } } }],
        output: [{ name: 'y', type: { tensor_type: { elem_type: 1, shape: { dim: [{ dim_value: 4 }] } } } }],
      },
    },
  } as OnnxModel;
  const bytes = encodeModel(identity);
  const nodeSession = await NodeSession.create(bytes, { intraOpNumThreads: 1, graphOptimizationLevel: 'disabled' });
  const webSession = await WebSession.create(bytes, {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'disabled',
  });
  const x = new Float32Array(4);
  return timeBoth(
    nodeSession,
    webSession,
    { x: new NodeTensor('float32', x, [4]) },
    { x: new WebTensor('float32', x, [4]) },
    { warmup: 5, runs: 51 },
  );
}

/** The whole optimized model's run time in both builds (median of `runs`, interleaved). */
async function wholeModel(
  model: OnnxModel,
  nodeFeeds: Record<string, NodeTensor>,
): Promise<{ node: number; wasm: number }> {
  const bytes = encodeModel(model);
  const nodeSession = await NodeSession.create(bytes, { intraOpNumThreads: 1, graphOptimizationLevel: 'disabled' });
  const webSession = await WebSession.create(bytes, {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'disabled',
  });
  const webFeeds = Object.fromEntries(
    Object.entries(nodeFeeds).map(([n, t]) => [n, new WebTensor(t.type as never, t.data as never, t.dims)]),
  );
  return timeBoth(nodeSession, webSession, nodeFeeds, webFeeds, { warmup: 1, runs });
}

/** Median milliseconds of a session in each build, their runs interleaved after `warmup` runs each; releases both. */
async function timeBoth(
  nodeSession: NodeSession,
  webSession: WebSession,
  nodeFeeds: Record<string, NodeTensor>,
  webFeeds: Record<string, WebTensor>,
  counts: { warmup: number; runs: number },
): Promise<{ node: number; wasm: number }> {
  const t = { node: [] as number[], wasm: [] as number[] };
  for (let r = -counts.warmup; r < counts.runs; r++) {
    let start = performance.now();
    await nodeSession.run(nodeFeeds);
    if (r >= 0) t.node.push(performance.now() - start);
    start = performance.now();
    await webSession.run(webFeeds);
    if (r >= 0) t.wasm.push(performance.now() - start);
  }
  await Promise.all([nodeSession.release(), webSession.release()]);
  return { node: median(t.node), wasm: median(t.wasm) };
}
