/**
 * Peak memory and time of the Kneser-Ney builder, each build in its own process, on the shared
 * LM text and on a text 10x larger made from it
 * (every sentence, plus 9 recombinations: the first half of one sentence joined to the second
 * half of another, so most n-grams at the joins are new). Text files are cached in os.tmpdir().
 * The comparison with the string-keyed builder it replaced is in the README, with its commit.
 * Run: pnpm --filter @asrq/ctc exec tsx bench/kn-memory.ts [order]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const order = process.argv[2] ?? '3';
const source = '/work/shared/fixtures/lm/lm_text.txt';
if (!existsSync(source)) {
  process.stdout.write(`${source} absent: nothing to measure\n`);
  process.exit(0);
}
const base = readFileSync(source, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '');
const big = join(tmpdir(), 'asrq-ctc-lm-text-x10.txt');
if (!existsSync(big)) {
  const out: string[] = [...base];
  for (let copy = 1; copy < 10; copy++) {
    for (let i = 0; i < base.length; i++) {
      const a = base[i]!.split(' ');
      const b = base[(i * 7919 + copy * 104729) % base.length]!.split(' ');
      out.push([...a.slice(0, Math.ceil(a.length / 2)), ...b.slice(Math.floor(b.length / 2))].join(' '));
    }
  }
  writeFileSync(big, `${out.join('\n')}\n`);
}
const script = new URL('./kn-build-one.ts', import.meta.url).pathname;
const run = (path: string): { seconds: number; maxRssMb: number; arpaMb: number } =>
  JSON.parse(
    execFileSync(
      process.execPath,
      ['--import', 'tsx', '--conditions=@asrq/source', '--max-old-space-size=16000', script, path, order],
      { encoding: 'utf8' },
    ),
  ) as never;
process.stdout.write(`| text | time | peak RSS | ARPA written |\n|---|---|---|---|\n`);
for (const [label, path] of [
  ['shared LM text (53k sentences)', join(source)],
  ['10x (530k sentences)', big],
] as const) {
  const r = run(path);
  process.stdout.write(
    `| ${label} | ${r.seconds.toFixed(1)} s | ${r.maxRssMb.toFixed(0)} MB | ${r.arpaMb.toFixed(0)} MB |\n`,
  );
}
