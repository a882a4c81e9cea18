/**
 * Writes test/fixtures/dev-mini-logprobs.{bin.gz,json}: the bundled model's log-probs for the
 * 40 bundled utterances, so tests decode real model output without onnxruntime.
 * Run: pnpm --filter @asrq/ctc exec tsx --conditions=@asrq/source bench/make-logprobs.ts
 */
import { writeFileSync } from 'node:fs';
import { defaultCorpusDir, defaultModelPath } from '@asrq/fixtures';
import { computeLogProbs, packLogProbs } from './logprobs.js';

const utterances = await computeLogProbs(defaultModelPath, defaultCorpusDir);
const { bin, index } = packLogProbs(utterances, 256);
const dir = new URL('../test/fixtures/', import.meta.url);
writeFileSync(new URL('dev-mini-logprobs.bin.gz', dir), bin);
writeFileSync(new URL('dev-mini-logprobs.json', dir), `${JSON.stringify(index, null, 1)}\n`);
process.stdout.write(
  `${utterances.length} utterances, ${utterances.reduce((s, u) => s + u.frames, 0)} frames, ${bin.length} bytes\n`,
);
