/**
 * Scoring speed: 100,000 utterances of 20 reference words, scored three ways, interleaved in
 * the same process (one thread) so machine noise hits all of them alike:
 *   distance-only  distanceErrorRate (fastest-levenshtein over words mapped to code units)
 *   counts         scoreCorpus({ alignments: false }) (sclite DP + backtrace, no step objects)
 *   alignment      scoreCorpus() (sclite DP + backtrace + AlignmentStep arrays)
 * Run: pnpm --filter @asrq/metrics bench
 */
import { performance } from 'node:perf_hooks';
import { seededRandom } from '@asrq/core';
import { distanceErrorRate, scoreCorpus, summarizeTimings, type UtterancePair } from '../src/index.js';

const UTTERANCES = 100_000;
const WORDS = 20;
const ROUNDS = 5;

function makeCorpus(): UtterancePair[] {
  const rand = seededRandom(2024);
  const vocabulary = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}`);
  const pick = () => vocabulary[Math.floor(rand() * vocabulary.length)]!;
  const pairs: UtterancePair[] = [];
  for (let u = 0; u < UTTERANCES; u++) {
    const ref = Array.from({ length: WORDS }, pick);
    const hyp: string[] = [];
    // About 15 % word errors, in the range of a real quantized-model comparison.
    for (const word of ref) {
      const x = rand();
      if (x < 0.05) continue;
      hyp.push(x < 0.12 ? pick() : word);
      if (rand() < 0.03) hyp.push(pick());
    }
    pairs.push({ id: `${u % 40}-${u}`, ref: ref.join(' '), hyp: hyp.join(' ') });
  }
  return pairs;
}

const pairs = makeCorpus();
const words = UTTERANCES * WORDS;
const methods: Record<string, () => number> = {
  'distance-only': () => distanceErrorRate(pairs).errorRate,
  counts: () => scoreCorpus(pairs, { alignments: false }).total.errorRate,
  alignment: () => scoreCorpus(pairs).total.errorRate,
};
const seconds: Record<string, number[]> = Object.fromEntries(Object.keys(methods).map((k) => [k, []]));
const wer: Record<string, number> = {};

// One warm-up round lets the JIT settle; it is not measured.
for (const run of Object.values(methods)) run();
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, run] of Object.entries(methods)) {
    const start = performance.now();
    wer[name] = run();
    seconds[name]!.push((performance.now() - start) / 1000);
  }
}

console.log(
  `@asrq/metrics scoring benchmark: ${UTTERANCES.toLocaleString('en')} utterances x ${WORDS} words = ${words.toLocaleString('en')} ref words, ${ROUNDS} interleaved rounds after 1 warm-up, Node ${process.version}, 1 thread`,
);
const base = summarizeTimings(seconds['distance-only']!).median;
for (const name of Object.keys(methods)) {
  const s = summarizeTimings(seconds[name]!);
  const wps = words / s.median;
  console.log(
    `${name.padEnd(14)} median ${s.median.toFixed(3)} s (min ${s.min.toFixed(3)}, max ${s.max.toFixed(3)})  ${(wps / 1e6).toFixed(2)} M words/s  ` +
      `${((s.median / words) * 1e5).toFixed(3)} s per 100k words  ${(s.median / base).toFixed(2)}x distance-only  WER ${wer[name]!.toFixed(3)} %`,
  );
}
