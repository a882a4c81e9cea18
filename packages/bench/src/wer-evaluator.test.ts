import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCorpusDir, defaultModelPath, defaultTokenizerPath } from '@asrq/fixtures';
import { afterAll, describe, expect, it } from 'vitest';
import { runBenchmark } from './harness.js';
import { buildReport } from './report.js';
import { createWerEvaluator } from './wer-evaluator.js';

const work = mkdtempSync(join(tmpdir(), 'asrq-wer-eval-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const environment = { node: 'v20', onnxruntime: '1.30.0', cpu: 'cpu', cores: 2, platform: 'linux' };

describe('createWerEvaluator', () => {
  it('scores the first n utterances with the WER the benchmark report gives for the same model and utterances', async () => {
    const evaluate = await createWerEvaluator(defaultModelPath, defaultCorpusDir, {
      n: 4,
      tokenizer: defaultTokenizerPath,
    });
    const wer = await evaluate(defaultModelPath);
    const run = await runBenchmark(
      {
        models: [defaultModelPath],
        tokenizer: defaultTokenizerPath,
        data: defaultCorpusDir,
        n: 4,
        warmup: 0,
        repeats: 1,
        threads: 1,
        beam: 1,
        lenient: false,
      },
      { outDir: join(work, 'bench') },
    );
    const report = buildReport(run, environment);
    expect(report.utterances).toBe(4);
    expect(wer).toBe(report.models[0]!.wer);
    // A second call reuses the decoded audio and gives the same answer.
    expect(await evaluate(defaultModelPath)).toBe(wer);
  }, 120_000);

  it('names a missing corpus', async () => {
    await expect(createWerEvaluator(defaultModelPath, join(work, 'nowhere'), { n: 2 })).rejects.toThrow(/nowhere/);
  });
});
