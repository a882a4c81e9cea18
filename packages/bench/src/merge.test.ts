import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCorpusDir, defaultModelPath, defaultTokenizerPath } from '@asrq/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journalPath, runBenchmark } from './harness.js';
import type { BenchRun } from './types.js';
import { mergeShards } from './merge.js';
import { buildReport } from './report.js';
import type { BenchReport } from './report-types.js';
import type { BenchConfig } from './types.js';
import { environmentFacts, writeReports } from './write-report.js';

// Real runs of the bundled model on 6 utterances: once whole, once as three shards.
const work = mkdtempSync(join(tmpdir(), 'asrq-bench-merge-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const base: BenchConfig = {
  models: [defaultModelPath],
  tokenizer: defaultTokenizerPath,
  data: defaultCorpusDir,
  n: 6,
  warmup: 1,
  repeats: 1,
  threads: 1,
  beam: 1,
  lenient: false,
};

async function run(config: BenchConfig, dir: string): Promise<{ run: BenchRun; report: BenchReport }> {
  const result = await runBenchmark(config, { outDir: join(work, dir) });
  const report = buildReport(result, environmentFacts());
  await writeReports(join(work, dir), report, result);
  return { run: result, report };
}

const shardDirs = ['s1', 's2', 's3'].map((d) => join(work, d));
let whole: { run: BenchRun; report: BenchReport };

beforeAll(async () => {
  whole = await run(base, 'whole');
  for (const [i, dir] of ['s1', 's2', 's3'].entries()) await run({ ...base, shard: { index: i + 1, count: 3 } }, dir);
}, 240_000);

describe('asrq bench --shard, then merge', () => {
  it("the merged shards have the unsharded run's WER, counts and transcripts", async () => {
    const shardIds = shardDirs.map(
      (dir) =>
        readFileSync(journalPath(dir), 'utf8')
          .split('\n')
          .filter((l) => l.includes('"utterance"')).length,
    );
    expect(shardIds).toEqual([2, 2, 2]);
    const merged = await mergeShards([shardDirs[2]!, shardDirs[0]!, shardDirs[1]!], { outDir: join(work, 'merged') });
    expect(merged.shard).toBeUndefined();
    expect(merged.run.config).toEqual(base);
    const [m] = merged.report.models;
    const [w] = whole.report.models;
    expect(merged.report.utterances).toBe(6);
    expect(merged.report.audioSec).toBeCloseTo(whole.report.audioSec, 9);
    expect({
      wer: m!.wer,
      cer: m!.cer,
      s: m!.substitutions,
      d: m!.deletions,
      i: m!.insertions,
      words: m!.refWords,
    }).toEqual({
      wer: w!.wer,
      cer: w!.cer,
      s: w!.substitutions,
      d: w!.deletions,
      i: w!.insertions,
      words: w!.refWords,
    });
    const hyps = (r: BenchRun) => r.records.map((x) => [x.id, x.hyp]).sort();
    expect(hyps(merged.run)).toEqual(hyps(whole.run));
    expect(merged.report.merged?.map((s) => s.shard)).toEqual(['3/3', '1/3', '2/3']);
    // The merged directory holds a journal like any run's.
    expect(
      readFileSync(journalPath(join(work, 'merged')), 'utf8')
        .split('\n')
        .filter(Boolean),
    ).toHaveLength(1 + 6);
  });

  it('refuses a missing shard, a shard given twice and a merge into an existing run', async () => {
    await expect(mergeShards(shardDirs.slice(0, 2), { outDir: join(work, 'm-missing') })).rejects.toThrow(
      /Shards missing: 3\/3/,
    );
    await expect(mergeShards([...shardDirs, shardDirs[0]!], { outDir: join(work, 'm-dup') })).rejects.toThrow(
      /Shard 1\/3 appears twice/,
    );
    await mergeShards(shardDirs, { outDir: join(work, 'm-twice') });
    await expect(mergeShards(shardDirs, { outDir: join(work, 'm-twice') })).rejects.toMatchObject({
      code: 'BENCH_OUT_EXISTS',
    });
    await expect(mergeShards(shardDirs, { outDir: join(work, 'm-twice'), force: true })).resolves.toBeDefined();
    await expect(mergeShards([join(work, 'whole')], { outDir: join(work, 'm-whole') })).rejects.toThrow(/not a shard/);
  });

  it('names the setting, the corpus and the model that differ', async () => {
    await run({ ...base, repeats: 2, shard: { index: 3, count: 3 } }, 'other-repeats');
    await expect(
      mergeShards([shardDirs[0]!, shardDirs[1]!, join(work, 'other-repeats')], { outDir: join(work, 'm-settings') }),
    ).rejects.toThrow(/setting repeats: 1 in .*s1, 2 in .*other-repeats/);
    await run({ ...base, n: 7, shard: { index: 3, count: 3 } }, 'other-corpus');
    const corpus = mergeShards([shardDirs[0]!, shardDirs[1]!, join(work, 'other-corpus')], {
      outDir: join(work, 'm-corpus'),
    });
    await expect(corpus).rejects.toThrow(/setting n: 6 .* 7 .*corpus: 6 measured utterances/);
    // A shard whose model file had other contents: its header records another sha256.
    cpSync(shardDirs[2]!, join(work, 'other-model'), { recursive: true });
    const path = journalPath(join(work, 'other-model'));
    const lines = readFileSync(path, 'utf8').split('\n');
    const header = JSON.parse(lines[0]!);
    header.inputs.models[0].sha256 = 'f'.repeat(64);
    writeFileSync(path, [JSON.stringify(header), ...lines.slice(1)].join('\n'));
    await expect(
      mergeShards([shardDirs[0]!, shardDirs[1]!, join(work, 'other-model')], { outDir: join(work, 'm-model') }),
    ).rejects.toThrow(/model 1: .*model\.onnx \(sha256 .*other-model/);
  }, 120_000);

  it('refuses a shard whose run did not finish', async () => {
    cpSync(shardDirs[1]!, join(work, 'torn'), { recursive: true });
    const path = journalPath(join(work, 'torn'));
    const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
    writeFileSync(path, `${lines.slice(0, -1).join('\n')}\n`);
    await expect(
      mergeShards([shardDirs[0]!, join(work, 'torn'), shardDirs[2]!], { outDir: join(work, 'm-torn') }),
    ).rejects.toMatchObject({
      code: 'BENCH_MERGE_INCOMPLETE',
      message: expect.stringMatching(/Shard 2\/3 .* `resume`/),
    });
  });
});
