/**
 * Where the encoder time goes: onnxruntime's own profiler on a float model and its quantized
 * variants, on a few bundled utterances fed through the family's front end, at each thread count.
 * Prints Markdown (for packages/quantize/docs): kernel-time share per module (from the scope in
 * node and tensor names, layer indices folded: `wav2vec2/encoder/layers.*\/attention`) and per op
 * type, and the wall time per run with the speedup against the first model. Records load average
 * and CPU model, and warns when the machine is busy (load average above 1).
 *
 *   pnpm exec tsx --conditions=@asrq/source packages/quantize/bench/profile-zoo.ts \
 *     --model float=zoo-full/hf-wav2vec2-base/model.onnx --model int8=/tmp/base-int8.onnx \
 *     [--threads 1,2] [--utterances 3] [--runs 3] [--depth 4] [--out packages/quantize/docs/profile-base.md]
 *
 * The first model must sit beside its companion files (config.json, model_config.yaml, ...): its
 * front end builds the feeds every model gets. Each run goes through every model in turn (the
 * order rotates), so load from other processes hits them alike.
 */
import { writeFile } from 'node:fs/promises';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCorpusDir } from '@asrq/fixtures';
import { readModel, type NodeProto } from '@asrq/onnx';
import { InferenceSession, type Tensor } from 'onnxruntime-node';
// The runtime package is not a dependency of quantize; this script borrows its front ends.
import { CtcModel } from '../../runtime/src/index.js';
import { listCorpus, readFlac } from '../test/corpus.js';

const args = process.argv.slice(2);
const many = (name: string): string[] =>
  args.flatMap((a, i) => (a === `--${name}` && args[i + 1] ? [args[i + 1]!] : []));
const one = (name: string, fallback: string): string => many(name).at(-1) ?? fallback;
const models = many('model').map((m) => {
  const eq = m.indexOf('=');
  return eq > 0 ? { name: m.slice(0, eq), path: m.slice(eq + 1) } : { name: m, path: m };
});
if (models.length === 0) throw new Error('give at least one --model name=path (the float model first)');
const threads = one('threads', '1,2').split(',').map(Number);
const utteranceCount = Number(one('utterances', '3'));
const runs = Number(one('runs', '3'));
const depth = Number(one('depth', '4'));
const out = many('out').at(-1);

/** Module scope of a tensor or node name: `/a/layers.3/b/MatMul` -> `a/layers.*\/b` (cut to `depth` segments). */
function scopeOf(name: string | undefined): string | undefined {
  if (!name?.startsWith('/')) return undefined;
  const parts = name.split('/').filter(Boolean);
  parts.pop();
  if (parts.length === 0) return undefined;
  return parts
    .slice(0, depth)
    .map((p) => p.replace(/\.\d+$/u, '.*'))
    .join('/');
}

/** Node name -> module scope in the graph onnxruntime actually runs (fused nodes keep their tensors' scopes). */
async function scopesAfterOptimization(path: string, threadCount: number): Promise<Map<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), 'asrq-profile-opt-'));
  const file = join(dir, 'optimized.onnx');
  const s = await InferenceSession.create(path, {
    intraOpNumThreads: threadCount,
    graphOptimizationLevel: 'all',
    optimizedModelFilePath: file,
    logSeverityLevel: 3,
  });
  await s.release();
  const scopes = new Map<string, string>();
  const optimized = await readModel(file);
  await rm(dir, { recursive: true, force: true });
  for (const n of optimized.proto.graph!.node! as NodeProto[]) {
    const scope =
      scopeOf(n.name) ??
      (n.output ?? []).map(scopeOf).find(Boolean) ??
      (n.input ?? []).map(scopeOf).find(Boolean) ??
      '(no scope)';
    scopes.set(n.name ?? '', scope);
  }
  return scopes;
}

interface Profile {
  byModule: Map<string, number>;
  byOp: Map<string, number>;
  kernelUs: number;
  wallMs: number[];
}

const loadBefore = loadavg();
const cpu = cpus()[0]?.model ?? 'unknown CPU';
const reference = await CtcModel.load(models[0]!.path);
const utts = (await listCorpus(defaultCorpusDir)).slice(0, utteranceCount);
const feeds: Array<Record<string, Tensor>> = [];
let audioSec = 0;
for (const u of utts) {
  const samples = await readFlac(u.path);
  audioSec += samples.length / 16000;
  feeds.push(reference.buildFeeds([samples]));
}
await reference.release();

const lines: string[] = [];
const say = (s = ''): void => {
  lines.push(s);
  console.log(s);
};
say(`### Profile: ${models.map((m) => m.name).join(', ')}`);
say();
say(
  `${utts.length} bundled utterances (${audioSec.toFixed(1)} s of audio), ${runs} runs each, threads ${threads.join(', ')}; onnxruntime-node, graphOptimizationLevel all; CPU ${cpu} x ${cpus().length}; load average ${loadBefore.map((v) => v.toFixed(2)).join(' ')} at start.`,
);
if (loadBefore[0]! > 1)
  say(
    `> **Warning:** load average ${loadBefore[0]!.toFixed(2)} > 1: the machine is busy, so wall times and speedups are not quiet-machine numbers (time shares within a model skew less than wall times).`,
  );
say();
const dir = await mkdtemp(join(tmpdir(), 'asrq-profile-'));
for (const t of threads) {
  const profiles: Profile[] = [];
  const sessions: InferenceSession[] = [];
  for (const [k, m] of models.entries()) {
    sessions.push(
      await InferenceSession.create(m.path, {
        intraOpNumThreads: t,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        enableProfiling: true,
        profileFilePrefix: join(dir, `t${t}-m${k}`),
        logSeverityLevel: 3,
      }),
    );
    profiles.push({ byModule: new Map(), byOp: new Map(), kernelUs: 0, wallMs: [] });
  }
  for (const f of feeds) for (const s of sessions) await s.run(f); // warm-up, profiled but dropped below by run count
  for (let r = 0; r < runs; r++) {
    for (const f of feeds) {
      for (let i = 0; i < sessions.length; i++) {
        const k = (i + r) % sessions.length;
        const started = performance.now();
        await sessions[k]!.run(f);
        profiles[k]!.wallMs.push(performance.now() - started);
      }
    }
  }
  for (const [k, m] of models.entries()) {
    sessions[k]!.endProfiling();
    await sessions[k]!.release();
    const file = (await readdir(dir))
      .filter((f) => f.startsWith(`t${t}-m${k}_`))
      .sort()
      .at(-1)!;
    const events = JSON.parse(await readFile(join(dir, file), 'utf8')) as Array<{
      cat?: string;
      name: string;
      dur: number;
      args?: { op_name?: string };
    }>;
    const scopes = await scopesAfterOptimization(m.path, t);
    const perNode = new Map<string, number[]>();
    for (const e of events) {
      if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
      const key = `${e.args?.op_name ?? '?'}\u0000${e.name.slice(0, -'_kernel_time'.length)}`;
      (perNode.get(key) ?? perNode.set(key, []).get(key)!).push(e.dur);
    }
    const p = profiles[k]!;
    for (const [key, durs] of perNode) {
      // Drop the warm-up calls: keep the last runs * utterances calls of each node.
      const kept = durs.slice(-runs * feeds.length);
      const us = kept.reduce((a, b) => a + b, 0) / runs;
      const [op, node] = key.split('\u0000') as [string, string];
      p.byOp.set(op, (p.byOp.get(op) ?? 0) + us);
      const scope = scopes.get(node) ?? scopeOf(node) ?? '(no scope)';
      p.byModule.set(scope, (p.byModule.get(scope) ?? 0) + us);
      p.kernelUs += us;
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const base = profiles[0]!;
  say(`#### ${t} thread${t === 1 ? '' : 's'}`);
  say();
  say('| model | wall ms per pass over the utterances (median run) | speedup vs first | kernel ms per pass |');
  say('|---|---:|---:|---:|');
  const passMs = (p: Profile): number =>
    median(
      Array.from({ length: runs }, (_, r) =>
        p.wallMs.filter((_, i) => Math.floor(i / feeds.length) === r).reduce((a, b) => a + b, 0),
      ),
    );
  for (const [k, m] of models.entries())
    say(
      `| ${m.name} | ${passMs(profiles[k]!).toFixed(1)} | ${(passMs(base) / passMs(profiles[k]!)).toFixed(2)}x | ${(profiles[k]!.kernelUs / 1000).toFixed(1)} |`,
    );
  say();
  for (const [title, pick] of [
    ['module', (p: Profile) => p.byModule],
    ['op type', (p: Profile) => p.byOp],
  ] as const) {
    const keys = new Map<string, number>();
    for (const p of profiles)
      for (const [key, us] of pick(p)) keys.set(key, Math.max(keys.get(key) ?? 0, us / p.kernelUs));
    const shown = [...keys]
      .filter(([, share]) => share >= 0.01)
      .sort((a, b) => b[1] - a[1])
      .map(([key]) => key);
    say(`| ${title} (share of kernel time, >= 1 % somewhere) | ${models.map((m) => m.name).join(' | ')} |`);
    say(`|---|${models.map(() => '---:').join('|')}|`);
    for (const key of shown)
      say(
        `| \`${key}\` | ${profiles.map((p) => `${((100 * (pick(p).get(key) ?? 0)) / p.kernelUs).toFixed(1)} %`).join(' | ')} |`,
      );
    say();
  }
}
const loadAfter = loadavg();
say(
  `Load average at the end: ${loadAfter.map((v) => v.toFixed(2)).join(' ')}.${loadAfter[0]! > 1 ? ' **Busy machine: do not quote these wall times as results.**' : ''}`,
);
if (out) await writeFile(out, `${lines.join('\n')}\n`);
await rm(dir, { recursive: true, force: true });
