/**
 * LM load speed: the ARPA parser before the byte-level rewrite (bench/legacy-arpa-parse.ts) vs
 * now, and the compiled format, interleaved per round, on
 * - a 3-gram built by buildArpa from ../shared/fixtures/lm/lm_text.txt (when present), and
 * - a synthetic 2M-n-gram 3-gram (as bench/run.ts).
 * Files are cached in os.tmpdir(). Run: pnpm --filter @asrq/ctc exec tsx --conditions=@asrq/source bench/lm-load.ts
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildArpa, NgramLM } from '../src/index.js';
import { parseArpa } from '../src/arpa-parse.js';
import { legacyParseArpa } from './legacy-arpa-parse.js';
import { writeSyntheticArpa } from './synthetic-arpa.js';

const out = (line = ''): void => void process.stdout.write(`${line}\n`);
const rounds = Number(process.argv[2] ?? 3);
const files: { label: string; path: string }[] = [];
const lmText = '/work/shared/fixtures/lm/lm_text.txt';
if (existsSync(lmText)) {
  const path = join(tmpdir(), 'asrq-ctc-lm-text-3gram.arpa');
  if (!existsSync(path)) writeFileSync(path, buildArpa(readFileSync(lmText, 'utf8').split('\n'), { order: 3 }));
  files.push({ label: '3-gram of the shared LM text', path });
}
const synthetic = join(tmpdir(), 'asrq-ctc-synthetic-2M.arpa');
if (!existsSync(synthetic)) await writeSyntheticArpa(synthetic, 50_000, 800_000, 1_200_000);
files.push({ label: 'synthetic 2M-n-gram 3-gram', path: synthetic });

for (const { label, path } of files) {
  const compiledPath = `${path}.asrqlm`;
  const reference = NgramLM.fromBytes(readFileSync(path), { name: path });
  writeFileSync(compiledPath, reference.compile());
  const times = { legacy: 0, parser: 0, arpaLoad: 0, compiledLoad: 0 };
  for (let round = 0; round < rounds; round++) {
    const bytes = readFileSync(path);
    let start = performance.now();
    legacyParseArpa(new TextDecoder().decode(bytes), path);
    times.legacy += performance.now() - start;
    start = performance.now();
    parseArpa(bytes, path);
    times.parser += performance.now() - start;
    start = performance.now();
    NgramLM.fromBytes(readFileSync(path), { name: path });
    times.arpaLoad += performance.now() - start;
    start = performance.now();
    NgramLM.fromBytes(readFileSync(compiledPath), { name: compiledPath });
    times.compiledLoad += performance.now() - start;
  }
  const ms = (t: number): string => `${(t / rounds).toFixed(0)} ms`;
  out(`\n## ${label}: ${reference.counts.join(' / ')} n-grams, ${(readFileSync(path).length / 2 ** 20).toFixed(0)} MB ARPA, ${(readFileSync(compiledPath).length / 2 ** 20).toFixed(0)} MB compiled; mean of ${rounds} interleaved rounds`);
  out('| what | time |');
  out('|---|---|');
  out(`| ARPA parse, before (text decode + string parser) | ${ms(times.legacy)} |`);
  out(`| ARPA parse, now (bytes) | ${ms(times.parser)} (${(times.legacy / times.parser).toFixed(2)}x faster) |`);
  out(`| ARPA file load (read + parse) | ${ms(times.arpaLoad)} |`);
  out(`| compiled file load (read + checksum + checks) | ${ms(times.compiledLoad)} (${(times.arpaLoad / times.compiledLoad).toFixed(0)}x faster than ARPA) |`);
}
