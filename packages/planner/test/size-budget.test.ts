import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stat } from 'node:fs/promises';
import { defaultCorpusDir, defaultModelPath, defaultTokenizerPath } from '@asrq/fixtures';
import { readModel } from '@asrq/onnx';
import { calibrationFeeds } from '@asrq/runtime';
import { useTempDirs } from '@asrq/test-temp';
import { describe, expect, it } from 'vitest';
import { fixedPlannerTiming, readSearchJournal, searchPlan, type SearchProgress } from '../src/index.js';

const { tempDir } = useTempDirs();

describe('a size budget (maxSizeBytes)', () => {
  it('fits the model under the budget with 4-bit weights, refuses an unreachable budget, and resumes with another one', async () => {
    const dir = await tempDir('asrq-planner-size-');
    const { calibration, sample } = await calibrationFeeds(defaultModelPath, defaultCorpusDir, { n: 3, seed: 0 });
    const floatBytes = (await stat(defaultModelPath)).size;
    const options = {
      calibration: () => calibration,
      sample,
      eval: { data: defaultCorpusDir, n: 3, warmup: 0 },
      tokenizer: defaultTokenizerPath,
      maxWerIncrease: 100,
      metric: 'sqnr' as const,
      minSqnrDb: 10,
      calibrators: ['minmax' as const],
      calibrationN: 3,
      maxTrials: 3,
      budgetSec: 600,
      workDir: join(dir, 'work'),
      output: join(dir, 'small.onnx'),
      timing: fixedPlannerTiming(),
    };
    // The int8 plans of this model take a bit over a quarter of the float size: a fifth needs 4-bit weights.
    const tooSmall = Math.round(floatBytes / 100);
    const events: SearchProgress['status'][] = [];
    await expect(
      searchPlan(defaultModelPath, { ...options, maxSizeBytes: tooSmall, onProgress: (e) => events.push(e.status) }),
    ).rejects.toMatchObject({
      code: 'PLANNER_SIZE_UNREACHABLE',
      message: expect.stringMatching(/smallest model the search can build is about \d+\.\d MB/),
    });
    expect(events).toContain('sensitivity');
    const journal = await readSearchJournal(join(dir, 'work', 'search.jsonl'));
    // Every weight group has 4-bit candidates whose measured size change is negative.
    const int4 = journal.signals!.groups.flatMap((g) =>
      g.candidates.filter((c) => c.candidate.mode === 'dynamic' && 'weights' in c.candidate),
    );
    expect(int4.length).toBeGreaterThan(0);
    for (const c of int4) expect(c.bytes!).toBeLessThan(0);

    // Resuming with another budget keeps the measurements: no profiling or sensitivity pass again.
    const budget = Math.round(floatBytes / 5);
    const again: SearchProgress['status'][] = [];
    const result = await searchPlan(defaultModelPath, {
      ...options,
      maxSizeBytes: budget,
      resume: true,
      onProgress: (e) => again.push(e.status),
    });
    expect(again).not.toContain('profiling');
    expect(again).not.toContain('sensitivity');
    expect(result.best.accepted).toBe(true);
    expect(result.best.sizeBytes).toBeLessThanOrEqual(budget);
    expect((await stat(result.modelPath)).size).toBeLessThanOrEqual(budget);
    expect(result.settings.maxSizeBytes).toBe(budget);
    expect(result.plan.rules.some((r) => r.weights === 'int4')).toBe(true);
    const model = await readModel(result.modelPath);
    expect(model.proto.graph!.node!.some((n) => n.op_type === 'MatMulNBits')).toBe(true);
    // Every measured trial over the budget was refused, whatever its SQNR.
    for (const t of result.trials) if (t.sizeBytes > budget) expect(t.accepted).toBe(false);

    // A larger budget on resume: the same plans may sit at other places of the new sequence; the
    // journaled ones are reused at their new place and judged again under the new budget.
    const larger = Math.round(floatBytes / 2);
    const wider = await searchPlan(defaultModelPath, { ...options, maxSizeBytes: larger, resume: true });
    expect(wider.best.accepted).toBe(true);
    expect(wider.best.sizeBytes).toBeLessThanOrEqual(larger);
    expect(wider.trials).toContain(wider.best);
    for (const t of wider.trials) {
      expect(t.k).toBeGreaterThanOrEqual(0);
      expect(t.k).toBeLessThanOrEqual(wider.moves.length);
      expect(t.accepted).toBe(t.sizeBytes <= larger && t.sqnrDb >= 10 && Number.isFinite(t.sqnrDb));
    }
  }, 300_000);

  it('searches a float16 export: ranges from its float32 form, sizes counted from it once', async () => {
    // The float16 variant of the compatibility matrix's transformers wav2vec2 export.
    const fp16 = fileURLToPath(new URL('../../fixtures/zoo-matrix/hf-wav2vec2-base/fp16/model.onnx', import.meta.url));
    const dir = await tempDir('asrq-planner-fp16-');
    const { calibration, sample } = await calibrationFeeds(fp16, defaultCorpusDir, { n: 2, seed: 0 });
    // Quantizing any part of a float16 model makes all of it float32, so the quantized model is
    // larger than the float16 file; a budget of the file's size needs most weights in 4 bits.
    const budget = (await stat(fp16)).size;
    const result = await searchPlan(fp16, {
      calibration: () => calibration,
      sample,
      eval: { data: defaultCorpusDir, n: 2, warmup: 0 },
      maxWerIncrease: 100,
      metric: 'sqnr',
      minSqnrDb: 5,
      calibrators: ['minmax'],
      calibrationN: 2,
      maxTrials: 3,
      maxSizeBytes: budget,
      budgetSec: 600,
      workDir: join(dir, 'work'),
      timing: fixedPlannerTiming(),
    });
    expect(result.best.accepted).toBe(true);
    expect(result.best.sizeBytes).toBeLessThanOrEqual(budget);
    expect(result.plan.rules.some((r) => r.mode === 'static')).toBe(true);
    expect(result.plan.rules.some((r) => r.weights === 'int4')).toBe(true);
  }, 300_000);
});
