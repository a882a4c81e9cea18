import { defaultCorpusDir, defaultModelPath } from '@asrq/fixtures';
import { describe, expect, it } from 'vitest';
import { jobError } from './job-error.js';
import { runBenchJobs } from './run-jobs.js';
import { threadConfig } from './thread-config.js';
import { useTempDirs } from '@asrq/test-temp';

const { tempDir } = useTempDirs();

// The processes themselves run in the CLI's end-to-end tests (apps/cli/test/bench-scale.test.ts),
// which use the built package and so its built job worker.
describe('runBenchJobs', () => {
  it('refuses, naming the file, when the job worker is not built (here: run from the TypeScript sources)', async () => {
    const outDir = await tempDir('asrq-bench-jobs-');
    const config = {
      ...threadConfig([defaultModelPath], 1),
      data: defaultCorpusDir,
      n: 2,
      warmup: 0,
      repeats: 1,
      beam: 1,
      lenient: false,
    };
    await expect(runBenchJobs(config, { outDir, jobs: 2 })).rejects.toThrow(
      expect.objectContaining({
        code: 'BENCH_NO_JOB_WORKER',
        message: expect.stringMatching(/job-worker\.js is not built/),
      }),
    );
  });

  it("re-creates a job's error with its package's class and code", () => {
    expect(jobError('AUDIO_EMPTY', 'job 1/2: x')).toMatchObject({ name: 'AudioError', code: 'AUDIO_EMPTY' });
    expect(jobError('BENCH_OUT_LOCKED', 'y')).toMatchObject({ name: 'BenchError', code: 'BENCH_OUT_LOCKED' });
    expect(jobError('FRONTEND_BAD_CONFIG', 'z')).toMatchObject({ code: 'FRONTEND_BAD_CONFIG', message: 'z' });
  });
});

describe('threadConfig', () => {
  it('lists every model once per count, counts in order', () => {
    expect(threadConfig(['f.onnx', 'q.onnx'], [1])).toEqual({ models: ['f.onnx', 'q.onnx'], threads: 1 });
    expect(threadConfig(['f.onnx', 'q.onnx'], 4)).toEqual({ models: ['f.onnx', 'q.onnx'], threads: 4 });
    expect(threadConfig(['f.onnx', 'q.onnx'], [1, 2])).toEqual({
      models: ['f.onnx', 'q.onnx', 'f.onnx', 'q.onnx'],
      threads: 1,
      modelThreads: [1, 1, 2, 2],
    });
  });
});
