/**
 * LM load speed: the ARPA parser before the byte-level rewrite (bench/legacy-arpa-parse.ts) vs
 * now, and the compiled format, interleaved per round, on
 * - a 3-gram of ../shared/fixtures/lm/lm_text.txt (when present), as buildArpa writes it now
 *   (grouped by context) and as the earlier builder wrote it (text order), and
 * - a synthetic 2M-n-gram 3-gram (as bench/run.ts).
 * Files are cached in os.tmpdir(). Times are CPU time of this process (user + system, which a
 * busy machine disturbs less than wall time) and wall time.
 * Run: pnpm --filter @asrq/ctc exec tsx --conditions=@asrq/source bench/lm-load.ts [rounds]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildArpa, NgramLM } from '../src/index.js';
import { parseArpa } from '../src/arpa-parse.js';
import { legacyParseArpa } from './legacy-arpa-parse.js';
import { writeSyntheticArpa } from './synthetic-arpa.js';
import { legacyBuildArpa } from './legacy-kneser-ney.js';

const out = (line = ''): void => void process.stdout.write(`${line}\n`);
const rounds = Number(process.argv[2] ?? 3);
const files: { label: string; path: string }[] = [];
const lmText = '/work/shared/fixtures/lm/lm_text.txt';
if (existsSync(lmText)) {
  const sentences = readFileSync(lmText, 'utf8').split('\n');
  // As `asrq lm build` writes it now (n-grams grouped by context) and as the builder wrote it before (text order).
  const grouped = join(tmpdir(), 'asrq-ctc-lm-text-3gram-grouped.arpa');
  if (!existsSync(grouped)) writeFileSync(grouped, buildArpa(sentences, { order: 3 }));
  files.push({ label: '3-gram of the shared LM text, grouped by context (buildArpa now)', path: grouped });
  const textOrder = join(tmpdir(), 'asrq-ctc-lm-text-3gram-text-order.arpa');
  if (!existsSync(textOrder)) writeFileSync(textOrder, legacyBuildArpa(sentences, { order: 3 }));
  files.push({ label: '3-gram of the shared LM text, text order (buildArpa before)', path: textOrder });
}
const synthetic = join(tmpdir(), 'asrq-ctc-synthetic-2M.arpa');
if (!existsSync(synthetic)) await writeSyntheticArpa(synthetic, 50_000, 800_000, 1_200_000);
files.push({ label: 'synthetic 2M-n-gram 3-gram', path: synthetic });

for (const { label, path } of files) {
  const compiledPath = `${path}.asrqlm`;
  const reference = NgramLM.fromBytes(readFileSync(path), { name: path });
  writeFileSync(compiledPath, reference.compile());
  const keys = ['legacy', 'parser', 'arpaLoad', 'compiledLoad'] as const;
  const cpu = { legacy: 0, parser: 0, arpaLoad: 0, compiledLoad: 0 };
  const wall = { legacy: 0, parser: 0, arpaLoad: 0, compiledLoad: 0 };
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
    measure('legacy', () => legacyParseArpa(new TextDecoder().decode(bytes), path));
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
  out(`| ARPA parse, before (text decode + string parser) | ${ms('legacy')} |`);
  out(`| ARPA parse, now (bytes) | ${ms('parser')} |`);
  out(`| ARPA file load (read + parse) | ${ms('arpaLoad')} |`);
  out(`| compiled file load (read + checksum + checks) | ${ms('compiledLoad')} |`);
  out(
    `parser speed-up ${(cpu.legacy / cpu.parser).toFixed(2)}x (CPU), ${(wall.legacy / wall.parser).toFixed(2)}x (wall); compiled vs ARPA load ${(cpu.arpaLoad / cpu.compiledLoad).toFixed(1)}x (CPU), ${(wall.arpaLoad / wall.compiledLoad).toFixed(1)}x (wall)`,
  );
}
