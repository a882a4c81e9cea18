import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsrqError } from '@asrq/core';
import { lockDirectory } from '@asrq/core/node';
import { defaultCorpusDir, defaultModelPath, defaultTokenizerPath } from '@asrq/fixtures';
import { afterAll, describe, expect, it } from 'vitest';
import { journalPath, runBenchmark } from './harness.js';
import type { BenchProgress } from './types.js';
import { readJournal } from './journal.js';
import type { BenchConfig } from './types.js';

// Real runs of the bundled model: the journal lock and the input fingerprints of a resume.
const work = mkdtempSync(join(tmpdir(), 'asrq-bench-guard-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function config(model: string): BenchConfig {
  return {
    models: [model],
    tokenizer: defaultTokenizerPath,
    data: defaultCorpusDir,
    n: 2,
    warmup: 0,
    repeats: 1,
    threads: 1,
    beam: 1,
    lenient: false,
  };
}

async function rejection(promise: Promise<unknown>): Promise<AsrqError> {
  try {
    await promise;
  } catch (error) {
    if (AsrqError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

/** A pid that certainly belonged to a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('bench --out lock', () => {
  it('refuses a second run while the directory is locked, naming the holder, and leaves its journal alone', async () => {
    const out = join(work, 'held');
    const lock = await lockDirectory(out, { name: 'results.lock' });
    try {
      const error = await rejection(runBenchmark(config(defaultModelPath), { outDir: out }));
      expect(error.code).toBe('BENCH_OUT_LOCKED');
      expect(error.message).toContain(`process ${process.pid} on ${hostname()}`);
      expect(error.message).toContain('another `outDir`');
      expect(existsSync(journalPath(out))).toBe(false);
    } finally {
      await lock.release();
    }
    expect(existsSync(join(out, 'results.lock'))).toBe(false);
  });

  it('lets exactly one of two simultaneous runs on the same --out write the journal', async () => {
    const out = join(work, 'twice');
    const runs = await Promise.allSettled([
      runBenchmark(config(defaultModelPath), { outDir: out }),
      runBenchmark(config(defaultModelPath), { outDir: out }),
    ]);
    expect(runs.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = runs.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as AsrqError).code).toBe('BENCH_OUT_LOCKED');
    const { records } = await readJournal(journalPath(out));
    expect(records.map((r) => r.id)).toEqual(['100-1001-0028', '101-1002-0002']);
    expect(existsSync(join(out, 'results.lock'))).toBe(false);
  });

  it('takes over a stale lock whose process is gone, with a note', async () => {
    const out = join(work, 'stale');
    mkdirSync(out, { recursive: true });
    const pid = deadPid();
    writeFileSync(
      join(out, 'results.lock'),
      JSON.stringify({ pid, hostname: hostname(), startedAt: '2026-01-01T00:00:00.000Z', token: 'old' }),
    );
    const events: BenchProgress[] = [];
    const run = await runBenchmark(config(defaultModelPath), { outDir: out, onProgress: (e) => events.push(e) });
    expect(run.records).toHaveLength(2);
    expect(events.find((e) => e.status === 'stale-lock')).toEqual({
      status: 'stale-lock',
      path: join(out, 'results.lock'),
      pid,
      startedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(existsSync(join(out, 'results.lock'))).toBe(false);
  });

  it('refuses a lock from another host, telling how to clear it', async () => {
    const out = join(work, 'remote');
    mkdirSync(out, { recursive: true });
    writeFileSync(
      join(out, 'results.lock'),
      JSON.stringify({ pid: deadPid(), hostname: 'elsewhere', startedAt: '2026-01-01T00:00:00.000Z', token: 'x' }),
    );
    const error = await rejection(runBenchmark(config(defaultModelPath), { outDir: out }));
    expect(error.code).toBe('BENCH_OUT_LOCKED');
    expect(error.message).toContain(`delete ${join(out, 'results.lock')}`);
  });
});

describe('bench --resume checks the input fingerprints', () => {
  it('refuses to resume after the model file changed at the same path, naming it; --force starts over', async () => {
    const dir = join(work, 'changed');
    mkdirSync(dir, { recursive: true });
    const model = join(dir, 'model.onnx');
    copyFileSync(defaultModelPath, model);
    const out = join(dir, 'out');
    await runBenchmark(config(model), { outDir: out });
    const header = (await readJournal(journalPath(out))).header!;
    expect(header.inputs?.models[0]).toMatchObject({ path: model, size: readFileSync(model).length });
    expect(Object.keys(header.inputs?.audio ?? {})).toEqual(['100-1001-0028', '101-1002-0002']);

    // Unchanged inputs: the resume goes through.
    expect((await runBenchmark(config(model), { outDir: out, resume: true })).resumed).toBe(2);

    // A different doc string (ModelProto field 6, last one wins): still a valid model, new bytes.
    const doc = Buffer.from('retrained');
    appendFileSync(model, Buffer.concat([Buffer.from([0x32, doc.length]), doc]));
    const error = await rejection(runBenchmark(config(model), { outDir: out, resume: true }));
    expect(error.code).toBe('BENCH_RESUME_MISMATCH');
    expect(error.message).toContain(`model ${model} changed (size`);
    expect(error.message).toContain('`force`');
    expect((await runBenchmark(config(model), { outDir: out, force: true })).resumed).toBe(0);
  });
});
