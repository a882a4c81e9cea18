/**
 * LM load speed: the byte-level ARPA parser, ARPA file loading and the compiled format,
 * interleaved per round, on
 * - a 3-gram of ../shared/fixtures/lm/lm_text.txt (when present), as buildArpa writes it
 *   (grouped by context), and
 * - a synthetic 2M-n-gram 3-gram (as bench/run.ts).
 * The comparison with the string parser it replaced is in the README, with the commit it ran at.
 * Files are cached in os.tmpdir(). Times are CPU time of this process (user + system, which a
 * busy machine disturbs less than wall time) and wall time.
 * Run: pnpm --filter @asrq/ctc exec tsx --conditions=@asrq/source bench/lm-load.ts [rounds]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildArpa, NgramLM } from '../src/index.js';
import { parseArpa } from '../src/lm/arpa-parse.js';
import { writeSyntheticArpa } from './synthetic-arpa.js';

const out = (line = ''): void => void process.stdout.write(`${line}\n`);
const rounds = Number(process.argv[2] ?? 3);
const files: { label: string; path: string }[] = [];
const lmText = '/work/shared/fixtures/lm/lm_text.txt';
if (existsSync(lmText)) {
  const sentences = readFileSync(lmText, 'utf8').split('\n');
  // As `asrq lm build` writes it (n-grams grouped by context).
  const grouped = join(tmpdir(), 'asrq-ctc-lm-text-3gram-grouped.arpa');
  if (!existsSync(grouped)) writeFileSync(grouped, buildArpa(sentences, { order: 3 }));
  files.push({ label: '3-gram of the shared LM text, grouped by context (buildArpa)', path: grouped });
}
const synthetic = join(tmpdir(), 'asrq-ctc-synthetic-2M.arpa');
if (!existsSync(synthetic)) await writeSyntheticArpa(synthetic, 50_000, 800_000, 1_200_000);
files.push({ label: 'synthetic 2M-n-gram 3-gram', path: synthetic });

for (const { label, path } of files) {
  const compiledPath = `${path}.asrqlm`;
  const reference = NgramLM.fromBytes(readFileSync(path), { name: path });
  writeFileSync(compiledPath, reference.compile());
  const keys = ['parser', 'arpaLoad', 'compiledLoad'] as const;
  const cpu = { parser: 0, arpaLoad: 0, compiledLoad: 0 };
  const wall = { parser: 0, arpaLoad: 0, compiledLoad: 0 };
  const measure = (key: (typeof keys)[number], run: () => void): void => {
    const c = process.cpuUsage();
    const start = performance.now();
    run();
    wall[key] += performance.now() - start;
    const used = process.cpuUsage(c);
    cpu[key] += (used.user + used.system) / 1000;
  };
  for (let round = -1; round < rounds; round++) {
    // Round -1 warms the JIT up and is not counted.
    if (round === 0) for (const key of keys) cpu[key] = wall[key] = 0;
    const bytes = readFileSync(path);
    measure('parser', () => parseArpa(bytes, path));
    measure('arpaLoad', () => NgramLM.fromBytes(readFileSync(path), { name: path }));
    measure('compiledLoad', () => NgramLM.fromBytes(readFileSync(compiledPath), { name: compiledPath }));
  }
  const ms = (key: (typeof keys)[number]): string =>
    `${(cpu[key] / rounds).toFixed(0)} ms | ${(wall[key] / rounds).toFixed(0)} ms`;
  out(
    `\n## ${label}: ${reference.counts.join(' / ')} n-grams, ${(readFileSync(path).length / 2 ** 20).toFixed(0)} MB ARPA, ${(readFileSync(compiledPath).length / 2 ** 20).toFixed(0)} MB compiled; mean of ${rounds} interleaved rounds after a warm-up round`,
  );
  out('| what | CPU time | wall time |');
  out('|---|---|---|');
  out(`| ARPA parse (bytes) | ${ms('parser')} |`);
  out(`| ARPA file load (read + parse) | ${ms('arpaLoad')} |`);
  out(`| compiled file load (read + checksum + checks) | ${ms('compiledLoad')} |`);
  out(
    `compiled vs ARPA load ${(cpu.arpaLoad / cpu.compiledLoad).toFixed(1)}x (CPU), ${(wall.arpaLoad / wall.compiledLoad).toFixed(1)}x (wall)`,
  );
}
