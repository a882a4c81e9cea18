import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// asrq bench --jobs, --shard and bench merge, run as a user runs them, on the bundled model and corpus.
const work = mkdtempSync(join(tmpdir(), 'asrq-cli-scale-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const common = ['bench', '--n', '8', '--warmup', '1', '--repeats', '1'];

interface Summary {
  utterances: number;
  audioSec: number;
  models: Array<{ wer: number; cer: number }>;
}

interface ReportJson {
  utterances: number;
  protocol: { rtfScope: string; threads: number };
  models: Array<{
    wer: number;
    cer: number;
    substitutions: number;
    deletions: number;
    insertions: number;
    refWords: number;
  }>;
}

async function bench(args: string[]): Promise<{ summary: Summary; report: ReportJson }> {
  const out = args[args.indexOf('--out') + 1]!;
  const result = await runCli([...common, ...args, '--json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return {
    summary: JSON.parse(result.stdout) as Summary,
    report: JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as ReportJson,
  };
}

const counts = (r: ReportJson) =>
  r.models.map(({ wer, cer, substitutions, deletions, insertions, refWords }) => ({
    wer,
    cer,
    substitutions,
    deletions,
    insertions,
    refWords,
  }));
const hyps = (dir: string) => readFileSync(join(dir, 'hyp-0-model.onnx.trn'), 'utf8');

describe('asrq bench across cores and machines', () => {
  const whole = join(work, 'whole');
  let unsharded: ReportJson;

  it('--jobs 2 gives the WER, counts and transcripts of --jobs 1 and says RTF is throughput per core', async () => {
    unsharded = (await bench(['--out', whole])).report;
    const jobs = await bench(['--jobs', '2', '--out', join(work, 'jobs2')]);
    expect(jobs.summary.utterances).toBe(8);
    expect(counts(jobs.report)).toEqual(counts(unsharded));
    expect(hyps(join(work, 'jobs2'))).toBe(hyps(whole));
    expect(jobs.report.protocol.rtfScope).toMatch(/^2 worker processes .*throughput per core/);
    expect(unsharded.protocol.rtfScope).not.toMatch(/worker processes/);
  });

  it('--shard 1/2 and 2/2, merged, equal the unsharded run', async () => {
    const s1 = join(work, 's1');
    const s2 = join(work, 's2');
    const first = await bench(['--shard', '1/2', '--out', s1]);
    expect(first.summary.utterances).toBe(4);
    const second = await runCli([...common, '--shard', '2/2', '--out', s2, '--json']);
    expect(second.code).toBe(0);
    const refused = await runCli(['bench', 'merge', s1, s2, '--out', join(work, 'merged')]);
    expect(refused.code).toBe(0);
    const merged = JSON.parse(readFileSync(join(work, 'merged', 'report.json'), 'utf8')) as ReportJson;
    expect(merged.utterances).toBe(8);
    expect(counts(merged)).toEqual(counts(unsharded));
    expect(hyps(join(work, 'merged'))).toBe(hyps(whole));
  });

  it('shards run with --jobs (their jobs merged into each shard) merge into the unsharded run', async () => {
    const dirs = [join(work, 's1-jobs'), join(work, 's2-jobs')];
    for (const [i, dir] of dirs.entries())
      expect((await bench(['--shard', `${i + 1}/2`, '--jobs', '2', '--out', dir])).summary.utterances).toBe(4);
    // Shards must have been run alike: a --jobs 2 shard does not merge with a single-job one.
    const mixed = await runCli(['bench', 'merge', join(work, 's1'), dirs[1]!, '--out', join(work, 'mixed')]);
    expect(mixed.stderr).toMatch(/setting jobs: \(not set\) in .*s1, 2 in .*s2-jobs/);
    const result = await runCli(['bench', 'merge', ...dirs, '--out', join(work, 'merged-jobs'), '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const merged = JSON.parse(readFileSync(join(work, 'merged-jobs', 'report.json'), 'utf8')) as ReportJson;
    expect(counts(merged)).toEqual(counts(unsharded));
  });

  it('merge refuses shards of different runs, naming what differs (exit 3), and a malformed --shard is a usage error', async () => {
    const other = join(work, 'other');
    expect((await runCli([...common, '--beam', '4', '--shard', '2/2', '--out', other, '--quiet'])).code).toBe(0);
    const result = await runCli(['bench', 'merge', join(work, 's1'), other, '--out', join(work, 'bad-merge')]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/not shards of one run: setting beam: 1 in .*s1, 4 in .*other/);
    const missing = await runCli(['bench', 'merge', join(work, 's1'), '--out', join(work, 'bad-merge')]);
    expect(missing.stderr).toMatch(/Shards missing: 2\/2/);
    const bad = await runCli([...common, '--shard', '3/2', '--out', join(work, 'never')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--shard must be i\/n/);
    const threads = await runCli([...common, '--jobs', '2', '--threads', '2', '--out', join(work, 'never')]);
    expect(threads.code).toBe(2);
  });
});
