/**
 * Which onnxruntime thread settings serve a float model and its int8 version at 2 (or more)
 * threads: each setting is loaded for every model and all run interleaved per utterance, each in two
 * pass orders (asrq bench's alternating one, and each model's passes back to back), so the int8/float
 * ratio of each setting and order comes from the same minutes of the machine. Prints encoder
 * seconds per audio second (median over passes, summed over utterances) per model and setting,
 * and the speedup of each model over the first one under the same setting.
 *
 *   pnpm --filter @asrq/runtime exec tsx --conditions=@asrq/source bench/thread-options.ts \
 *     --model float=zoo-full/hf-wav2vec2-base/model.onnx --model int8=base.int8.onnx \
 *     [--threads 2] [--utterances 12] [--passes 3] [--corpus ../shared/fixtures/corpus/dev]
 *
 * The first model must sit beside its companion files (its front end builds every model's input).
 */
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { openCorpus, readAudio } from '@asrq/audio';
import { defaultCorpusDir } from '@asrq/fixtures';
import { CtcModel, type SessionSettings } from '../src/index.js';

const args = process.argv.slice(2);
const many = (name: string): string[] =>
  args.flatMap((a, i) => (a === `--${name}` && args[i + 1] ? [args[i + 1]!] : []));
const one = (name: string, fallback: string): string => many(name).at(-1) ?? fallback;
const models = many('model').map((spec) => {
  const at = spec.indexOf('=');
  if (at <= 0) throw new Error(`--model wants label=path, got "${spec}"`);
  return { label: spec.slice(0, at), path: resolve(spec.slice(at + 1)) };
});
if (models.length < 2) throw new Error('give two or more --model label=path (the float model first)');
const threads = Number(one('threads', '2'));
const utterances = Number(one('utterances', '12'));
const passes = Number(one('passes', '3'));
const corpusDir = one('corpus', defaultCorpusDir);

const settings: { label: string; session: SessionSettings }[] = [
  { label: 'default (spinning, static split)', session: { threads } },
  { label: 'no spinning', session: { threads, spinning: false } },
  { label: 'dynamic_block_base 4', session: { threads, dynamicBlockBase: 4 } },
  { label: 'no spinning, dynamic_block_base 4', session: { threads, spinning: false, dynamicBlockBase: 4 } },
];

const protocols = ['alternating (A,B,A,B)', 'back to back (A,A,B,B)'] as const;

interface Runner {
  model: number;
  setting: number;
  ctc: CtcModel;
  /** Per protocol, per utterance: the pass times. */
  seconds: number[][][];
}
const runners: Runner[] = [];
for (const [s, setting] of settings.entries())
  for (const [m, model] of models.entries())
    runners.push({
      model: m,
      setting: s,
      ctc: await CtcModel.load(model.path, { session: setting.session }),
      seconds: protocols.map(() => []),
    });

const corpus = await openCorpus(corpusDir);
const items = corpus.items.slice(0, utterances + 1);
const clips = await Promise.all(items.map((item) => readAudio(item.audioPath, { sampleRate: 16000 })));
const audioSec = clips.slice(1).reduce((sum, c) => sum + c.length / 16000, 0);
const load = [loadavg()[0]!];
for (const r of runners) await r.ctc.forward([clips[0]!]);

/** One utterance through one setting's models in one protocol: the pass order asrq bench uses, or each model's passes back to back. */
async function measure(group: Runner[], protocol: number, clip: Float32Array): Promise<void> {
  const times = new Map(group.map((r) => [r, [] as number[]]));
  const order =
    protocol === 0
      ? Array.from({ length: passes }, () => group).flat()
      : group.flatMap((r) => Array.from({ length: passes }, () => r));
  for (const r of order) times.get(r)!.push((await r.ctc.forward([clip])).encoderSec);
  for (const r of group) r.seconds[protocol]!.push(times.get(r)!);
}

// Every setting and both protocols on every utterance; the order rotates per utterance.
for (const [u, clip] of clips.slice(1).entries()) {
  for (let k = 0; k < settings.length; k++) {
    const s = (k + u) % settings.length;
    const group = runners.filter((r) => r.setting === s);
    if (u % 2 === 1) group.reverse();
    for (const protocol of u % 2 === 0 ? [0, 1] : [1, 0]) await measure(group, protocol, clip);
  }
}
load.push(loadavg()[0]!);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rtf = (r: Runner, protocol: number) => r.seconds[protocol]!.reduce((sum, t) => sum + median(t), 0) / audioSec;
console.log(
  `${cpus()[0]?.model}, ${threads} threads, ${clips.length - 1} utterances (${audioSec.toFixed(1)} s), ${passes} passes, load average ${load.map((l) => l.toFixed(2)).join(' -> ')}`,
);
console.log(
  `| setting | pass order | ${models.map((m) => `${m.label} RTF`).join(' | ')} | ${models
    .slice(1)
    .map((m) => `${m.label} speedup`)
    .join(' | ')} |`,
);
console.log(
  `|---|---|${models.map(() => '--:').join('|')}|${models
    .slice(1)
    .map(() => '--:')
    .join('|')}|`,
);
for (const [s, setting] of settings.entries()) {
  for (const [protocol, order] of protocols.entries()) {
    const row = runners
      .filter((r) => r.setting === s)
      .sort((a, b) => a.model - b.model)
      .map((r) => rtf(r, protocol));
    console.log(
      `| ${setting.label} | ${order} | ${row.map((x) => x.toFixed(4)).join(' | ')} | ${row
        .slice(1)
        .map((x) => `${(row[0]! / x).toFixed(2)}x`)
        .join(' | ')} |`,
    );
  }
}
for (const r of runners) await r.ctc.release();
