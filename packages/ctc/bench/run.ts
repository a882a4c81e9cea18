/**
 * Decoding speed and accuracy of @asrq/ctc on the bundled model's log-probs.
 * Run: pnpm --filter @asrq/ctc bench
 *
 * - Data: the 40 bundled utterances (committed log-probs), plus ../shared/fixtures/corpus/dev
 *   (300 utterances) when present, its log-probs computed once with onnxruntime-node and cached
 *   in os.tmpdir().
 * - LM: a 3-gram built with buildArpa from ../shared/fixtures/lm/lm_text.txt when present,
 *   else the committed pruned test LM.
 * - Speed: decode time / audio duration, one thread, configurations interleaved per round.
 * - LM load: a synthetic 2M-n-gram 3-gram ARPA written to os.tmpdir().
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultModelPath, defaultTokenizerPath } from '@asrq/fixtures';
import {
  buildArpa,
  CtcBeamSearchDecoder,
  greedyDecode,
  loadArpa,
  loadTokenizer,
  NgramLM,
  type Tokenizer,
} from '../src/index.js';
import { writeSyntheticArpa } from './synthetic-arpa.js';
import { computeLogProbs, packLogProbs, unpackLogProbs, type Utterance } from './logprobs.js';
import { distanceErrorRate } from '@asrq/metrics';

const out = (line = ''): void => void process.stdout.write(`${line}\n`);
const shared = '/work/shared/fixtures';
const fixtures = new URL('../test/fixtures/', import.meta.url).pathname;

async function devLogProbs(): Promise<Utterance[] | undefined> {
  const corpus = join(shared, 'corpus/dev');
  if (!existsSync(corpus)) return undefined;
  const bin = join(tmpdir(), 'asrq-ctc-dev-logprobs.bin.gz');
  const index = join(tmpdir(), 'asrq-ctc-dev-logprobs.json');
  if (!existsSync(bin) || !existsSync(index)) {
    const utterances = await computeLogProbs(defaultModelPath, corpus);
    const packed = packLogProbs(utterances, 256);
    writeFileSync(bin, packed.bin);
    writeFileSync(index, JSON.stringify(packed.index));
  }
  return unpackLogProbs(bin, index);
}

interface Config {
  name: string;
  decode: (u: Utterance) => string;
  seconds: number;
  hyps: string[];
}

function evaluate(label: string, utterances: Utterance[], tokenizer: Tokenizer, lm: NgramLM, rounds: number): void {
  const audio = utterances.reduce((s, u) => s + u.duration, 0);
  const refs = utterances.map((u) => u.transcript);
  const configs: Config[] = [
    { name: 'greedy', decode: (u) => greedyDecode({ ...u, vocab: 256 }, tokenizer).text, seconds: 0, hyps: [] },
  ];
  for (const beamWidth of [16, 32, 64]) {
    for (const withLm of [false, true]) {
      const decoder = new CtcBeamSearchDecoder(tokenizer, withLm ? { beamWidth, lm } : { beamWidth });
      configs.push({
        name: `beam ${beamWidth}${withLm ? ' + 3-gram' : ''}`,
        decode: (u) => decoder.decode({ ...u, vocab: 256 })[0]!.text,
        seconds: 0,
        hyps: [],
      });
    }
  }
  const skip = new CtcBeamSearchDecoder(tokenizer, { beamWidth: 32, lm, blankSkipThreshold: 0.999 });
  configs.push({
    name: 'beam 32 + 3-gram, blank skip 0.999',
    decode: (u) => skip.decode({ ...u, vocab: 256 })[0]!.text,
    seconds: 0,
    hyps: [],
  });
  for (const config of configs) config.hyps = utterances.map(config.decode); // warm-up + WER
  for (let round = 0; round < rounds; round++) {
    for (const config of configs) {
      const start = performance.now();
      for (const u of utterances) config.decode(u);
      config.seconds += (performance.now() - start) / 1000;
    }
  }
  out(
    `\n## ${label}: ${utterances.length} utterances, ${(audio / 60).toFixed(1)} min of audio, ${rounds} interleaved rounds`,
  );
  out('| decoder | WER % | decode time / audio duration | ms per utterance |');
  out('|---|---|---|---|');
  for (const c of configs) {
    const perRound = c.seconds / rounds;
    out(
      `| ${c.name} | ${wer(refs, c.hyps).toFixed(1)} | ${((100 * perRound) / audio).toFixed(3)} % | ${((1000 * perRound) / utterances.length).toFixed(2)} |`,
    );
  }
}

/** Pooled unit-cost edit distance over pooled reference words, in percent. */
function wer(refs: readonly string[], hyps: readonly string[]): number {
  return distanceErrorRate(refs.map((ref, k) => ({ id: String(k), ref, hyp: hyps[k] ?? '' }))).errorRate;
}

function memoryMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20;
}

const tokenizer = await loadTokenizer(defaultTokenizerPath);
const lmText = join(shared, 'lm/lm_text.txt');
let lm: NgramLM;
if (existsSync(lmText)) {
  const start = performance.now();
  const arpa = buildArpa(readFileSync(lmText, 'utf8').split('\n'), { order: 3 });
  const built = performance.now();
  lm = NgramLM.fromArpa(arpa, { name: '3-gram' });
  out(
    `3-gram from ${lmText}: ${lm.counts.join(' / ')} n-grams, built in ${((built - start) / 1000).toFixed(1)} s, parsed in ${((performance.now() - built) / 1000).toFixed(2)} s`,
  );
} else {
  lm = await loadArpa(join(fixtures, 'lm-3gram-pruned.arpa.gz'));
  out(`(${lmText} absent) using the committed pruned test LM: ${lm.counts.join(' / ')} n-grams`);
}

evaluate(
  'dev-mini (bundled)',
  unpackLogProbs(join(fixtures, 'dev-mini-logprobs.bin.gz'), join(fixtures, 'dev-mini-logprobs.json')),
  tokenizer,
  lm,
  3,
);
const dev = await devLogProbs();
if (dev) evaluate(`${shared}/corpus/dev`, dev, tokenizer, lm, 1);
else out(`\n(${shared}/corpus/dev absent: skipped)`);

const arpaPath = join(tmpdir(), 'asrq-ctc-synthetic-2M.arpa');
if (!existsSync(arpaPath)) await writeSyntheticArpa(arpaPath, 50_000, 800_000, 1_200_000);
const before = memoryMb();
const start = performance.now();
const big = await loadArpa(arpaPath);
const seconds = (performance.now() - start) / 1000;
const after = memoryMb();
out(
  `\n## LM load: synthetic 3-gram, ${big.counts.join(' / ')} n-grams (${big.counts.reduce((a, b) => a + b, 0).toLocaleString('en')} total)`,
);
out(
  `load ${seconds.toFixed(2)} s, retained memory ${(after - before).toFixed(0)} MB (packed tables ${(big.byteLength / 2 ** 20).toFixed(0)} MB)${(globalThis as { gc?: unknown }).gc ? '' : ' [run with --expose-gc for exact retained memory]'}`,
);
