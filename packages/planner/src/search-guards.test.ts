import { join } from 'node:path';
import { lockDirectory } from '@asrq/core/node';
import { defaultCorpusDir, defaultModelPath } from '@asrq/fixtures';
import type { Feeds } from '@asrq/quantize';
import { describe, expect, it } from 'vitest';
import { appendSearchJournal, startSearchJournal } from './journal.js';
import { searchPlan } from './search.js';
import { openSearchJournal } from './search/open-journal.js';
import type { ResolvedSearch } from './search/resolve-settings.js';
import { acceptFor } from './search/trial-runner.js';
import type { SearchPlanOptions } from './search-types.js';
import type { Trial } from './types.js';
import { useTempDirs } from '@asrq/test-temp';

const { tempDir } = useTempDirs();

/** Options that fail before any model is run: the guards come first. */
function options(workDir: string, extra: Partial<SearchPlanOptions> = {}): SearchPlanOptions {
  return {
    calibration: () => [],
    sample: {} as Feeds,
    eval: { data: defaultCorpusDir, n: 2 },
    maxWerIncrease: 1,
    metric: 'wer',
    budgetSec: 60,
    workDir,
    ...extra,
  };
}

const trial: Trial = {
  key: 'k0',
  k: 0,
  plan: { version: 1, rules: [] },
  summary: 'all float',
  modelPath: 'm.onnx',
  sizeBytes: 1,
  sqnrDb: 30,
  accepted: true,
  seconds: 1,
};

describe('searchPlan guards its work directory', () => {
  it('refuses a work directory another search holds (PLANNER_WORKDIR_LOCKED), like bench --out', async () => {
    const workDir = await tempDir('asrq-planner-lock-');
    const held = await lockDirectory(workDir, { name: 'search.lock' });
    try {
      await expect(searchPlan(defaultModelPath, options(workDir))).rejects.toMatchObject({
        code: 'PLANNER_WORKDIR_LOCKED',
        message: expect.stringContaining(`process ${process.pid}`),
      });
    } finally {
      await held.release();
    }
  });

  it("refuses to throw away an earlier search's trials without resume or force (PLANNER_WORKDIR_EXISTS)", async () => {
    const workDir = await tempDir('asrq-planner-journal-');
    const journal = join(workDir, 'search.jsonl');
    await startSearchJournal(journal, { model: 'x' });
    await appendSearchJournal(journal, { kind: 'trial', trial });
    await expect(searchPlan(defaultModelPath, options(workDir))).rejects.toMatchObject({
      code: 'PLANNER_WORKDIR_EXISTS',
      message: expect.stringContaining(`1 trial(s) in ${journal}`),
    });
    // force starts over: a fresh journal with only the new header.
    const s = {
      workDir,
      journal,
      resume: false,
      force: true,
      journalSettings: { model: 'y' },
    } as unknown as ResolvedSearch;
    await expect(openSearchJournal(s)).resolves.toEqual({ trials: [] });
    // A journal with only a header (killed before any measurement) is replaced without force.
    await expect(openSearchJournal({ ...s, force: false })).resolves.toEqual({ trials: [] });
  });
});

describe('acceptFor', () => {
  it('never accepts a plan whose output equals the float model (infinite SQNR): it quantizes nothing', () => {
    const sqnr = acceptFor({ sqnrOnly: true, minSqnrDb: 1000, maxWerIncrease: 0 } as ResolvedSearch);
    expect(sqnr({ ...trial, sqnrDb: Number.POSITIVE_INFINITY })).toBe(false);
    expect(sqnr({ ...trial, sqnrDb: 1001 })).toBe(true);
    const wer = acceptFor({ sqnrOnly: false, minSqnrDb: 20, maxWerIncrease: 0.3 } as ResolvedSearch);
    expect(wer({ ...trial, sqnrDb: Number.POSITIVE_INFINITY, werDelta: 0 })).toBe(false);
    expect(wer({ ...trial, sqnrDb: 40, werDelta: 0 })).toBe(true);
  });
});
