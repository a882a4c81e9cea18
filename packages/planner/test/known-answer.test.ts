import { join } from 'node:path';
import { defaultCorpusDir, defaultModelPath, defaultTokenizerPath } from '@asrq/fixtures';
import { calibrationFeeds } from '@asrq/runtime';
import { describe, expect, it } from 'vitest';
import { findGroups, fixedPlannerTiming, readSearchJournal, searchPlan } from '../src/index.js';
import { outputSqnr, runOnce } from '../src/variants.js';
import { writeFragileModel } from './fragile-model.js';
import { readFile } from 'node:fs/promises';
import { readModel } from '@asrq/onnx';
import { useTempDirs } from '@asrq/test-temp';

const { tempDir } = useTempDirs();

const FRAGILE = '/encoder/enc/linear1/MatMul';
const FRAGILE_GROUP = 'encoder.enc.linear1|weight-matmul';

describe('known answer: a deliberately fragile module stays float', () => {
  it('keeps encoder.enc.linear1 float and quantizes the rest, and resumes from the journal', async () => {
    const dir = await tempDir('asrq-planner-');
    const fragile = join(dir, 'fragile.onnx');
    await writeFragileModel(defaultModelPath, fragile, FRAGILE);
    const { calibration, sample } = await calibrationFeeds(fragile, defaultCorpusDir, { n: 4, seed: 0 });
    // The float model is unchanged for practical purposes...
    const original = await runOnce(new Uint8Array(await readFile(defaultModelPath)), sample, 1);
    expect(outputSqnr(original, await runOnce(new Uint8Array(await readFile(fragile)), sample, 1))).toBeGreaterThan(60);
    expect(findGroups(await readModel(fragile)).some((g) => g.id === FRAGILE_GROUP)).toBe(true);

    const options = {
      calibration: () => calibration,
      sample,
      eval: { data: defaultCorpusDir, n: 8, warmup: 1 },
      tokenizer: defaultTokenizerPath,
      maxWerIncrease: 5,
      metric: 'wer' as const,
      // No SQNR pruning: the WER confirmation has to find the fragile module by itself.
      pruneSqnrDb: Number.NEGATIVE_INFINITY,
      calibrators: ['minmax' as const],
      calibrationN: 4,
      budgetSec: 240,
      workDir: join(dir, 'work'),
      output: join(dir, 'auto.onnx'),
      // Fixed time shares, probe and benchmark timings: which plan is trial 0 and which wins
      // must not depend on how busy the machine is.
      timing: fixedPlannerTiming(),
    };
    const result = await searchPlan(fragile, options);
    // ...but the most aggressive plan (fragile module quantized) blows the WER budget.
    const first = result.trials.find((t) => t.k === 0)!;
    expect(first.accepted).toBe(false);
    expect(first.werDelta!).toBeGreaterThan(5);
    const fragileRule = result.plan.rules.find((r) => r.select === 'encoder.enc.linear1')!;
    expect(fragileRule.mode).toBe('float');
    expect(result.plan.rules.filter((r) => r.mode !== 'float').length).toBeGreaterThanOrEqual(5);
    expect(result.best.accepted).toBe(true);
    expect(result.best.werDelta!).toBeLessThanOrEqual(5);

    // Resume: every trial comes from the journal, the answer is the same.
    const journal = await readSearchJournal(join(dir, 'work', 'search.jsonl'));
    expect(journal.trials.length).toBe(result.trials.length);
    const events: string[] = [];
    const again = await searchPlan(fragile, {
      ...options,
      resume: true,
      onProgress: (e) => e.status === 'trial' && events.push(e.resumed ? 'resumed' : 'new'),
    });
    expect(events.every((e) => e === 'resumed')).toBe(true);
    expect(again.plan).toEqual(result.plan);
    await expect(searchPlan(fragile, { ...options, resume: true, maxWerIncrease: 1 })).rejects.toMatchObject({
      code: 'PLANNER_RESUME_MISMATCH',
    });
  }, 300_000);

  it('accepts by SQNR alone with metric sqnr, measuring only the chosen plan, and stops on the time budget', async () => {
    const dir = await tempDir('asrq-planner-sqnr-');
    const { calibration, sample } = await calibrationFeeds(defaultModelPath, defaultCorpusDir, { n: 3, seed: 0 });
    const base = {
      calibration: () => calibration,
      sample,
      eval: { data: defaultCorpusDir, n: 4, warmup: 0 },
      tokenizer: defaultTokenizerPath,
      maxWerIncrease: 100,
      calibrators: ['minmax' as const],
      calibrationN: 3,
      maxTrials: 4,
      timing: fixedPlannerTiming(),
    };
    const result = await searchPlan(defaultModelPath, {
      ...base,
      metric: 'sqnr',
      minSqnrDb: 25,
      budgetSec: 240,
      workDir: join(dir, 'sqnr'),
    });
    expect(result.best.accepted).toBe(true);
    expect(result.best.sqnrDb).toBeGreaterThanOrEqual(25);
    // Only the chosen plan got a benchmark; the others were judged on SQNR.
    expect(result.best.wer).toBeDefined();
    expect(result.trials.filter((t) => t.wer !== undefined && t.key !== result.best.key)).toHaveLength(0);
    for (const t of result.trials) expect(t.accepted).toBe(t.sqnrDb >= 25 && Number.isFinite(t.sqnrDb));

    // A budget already spent by the cheap signals stops before any trial: nothing to return.
    // The injected clock advances a second per reading, so this holds however fast the machine is.
    await expect(
      searchPlan(defaultModelPath, {
        ...base,
        metric: 'wer',
        budgetSec: 0.5,
        timing: fixedPlannerTiming({ clockStepMs: 1000 }),
        workDir: join(dir, 'budget'),
      }),
    ).rejects.toMatchObject({
      code: 'PLANNER_NO_PLAN',
      message: expect.stringContaining('(budget)'),
    });
  }, 300_000);
});
