import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendSearchJournal, assertSameSearch, readSearchJournal, startSearchJournal } from './journal.js';
import type { Trial } from './types.js';
import { useTempDirs } from '@asrq/test-temp';

const { tempDir } = useTempDirs();

const trial = (key: string): Trial => ({
  key,
  k: 0,
  plan: { version: 1, rules: [{ select: '', mode: 'dynamic' }] },
  summary: 's',
  modelPath: 'm.onnx',
  sizeBytes: 1,
  sqnrDb: Number.POSITIVE_INFINITY,
  wer: 10,
  accepted: true,
  seconds: 1,
});

describe('search journal', () => {
  it('round-trips settings, signals and trials (Infinity included) and drops a torn last line', async () => {
    const path = join(await tempDir('asrq-journal-'), 'search.jsonl');
    await startSearchJournal(path, { model: 'a.onnx', n: 3 });
    await appendSearchJournal(path, {
      kind: 'signals',
      signals: {
        groups: [
          {
            id: 'g',
            timeShare: 0.5,
            candidates: [{ candidate: { mode: 'float' }, sqnrDb: Number.POSITIVE_INFINITY, saving: 0 }],
          },
        ],
        kernelMs: 2,
      },
    });
    await appendSearchJournal(path, { kind: 'trial', trial: trial('k1') });
    await appendFile(path, '{"kind":"trial","trial":{"key":"k2"');
    const j = await readSearchJournal(path);
    expect(j.settings).toEqual({ model: 'a.onnx', n: 3 });
    expect(j.signals!.groups[0]!.candidates[0]!.sqnrDb).toBe(Number.POSITIVE_INFINITY);
    expect(j.trials.map((t) => t.key)).toEqual(['k1']);
    expect(j.trials[0]!.sqnrDb).toBe(Number.POSITIVE_INFINITY);
  });
  it('refuses to resume with other settings, naming the setting', () => {
    expect(() => assertSameSearch('j', { n: 3, metric: 'wer' }, { n: 3, metric: 'sqnr' })).toThrow(/metric/);
    expect(() => assertSameSearch('j', { n: 3 }, { n: 3 })).not.toThrow();
  });
  it('lets a resume change the size budget, not add or drop it', () => {
    const sized = { n: 3, maxSizeBytes: 200e6, int4Blocks: [32, 64, 128] };
    expect(() => assertSameSearch('j', sized, { ...sized, maxSizeBytes: 250e6 })).not.toThrow();
    expect(() => assertSameSearch('j', { n: 3 }, sized)).toThrow(/without a size budget .* not add it/);
    expect(() => assertSameSearch('j', sized, { n: 3 })).toThrow(/with a size budget .* not drop it/);
  });
  it('reads a missing journal as empty', async () => {
    expect(await readSearchJournal('/nonexistent/search.jsonl')).toEqual({ trials: [] });
  });
});
