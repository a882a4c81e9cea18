/**
 * Writes test/fixtures/lm-3gram-pruned.arpa.gz: a 3-gram built with buildArpaFile from
 * ../shared/fixtures/lm/lm_text.txt (no dev/test sentences in it), singletons pruned, so the
 * tests can check that the LM lowers WER without ../shared.
 * Run: pnpm --filter @asrq/ctc exec tsx --conditions=@asrq/source bench/make-test-lm.ts
 */
import { buildArpaFile } from '../src/index.js';

const text = process.argv[2] ?? '/work/shared/fixtures/lm/lm_text.txt';
const out = new URL('../test/fixtures/lm-3gram-pruned.arpa.gz', import.meta.url).pathname;
const { counts } = await buildArpaFile(text, out, { order: 3, pruneSingletons: true });
process.stdout.write(`wrote ${out}: ${counts.join(' / ')} n-grams\n`);
