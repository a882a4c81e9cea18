import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCorpusDir, defaultModelPath, defaultTokenizerPath } from '@asrq/fixtures';
import { afterAll, describe, expect, it } from 'vitest';
import { runBenchmark } from './harness.js';
import type { BenchConfig } from './types.js';

// Real runs of the bundled model. Windows of 2 s make the bundled utterances (4 to 7 s) "long",
// so the chunked path of the harness runs on them.
const work = mkdtempSync(join(tmpdir(), 'asrq-bench-long-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function config(extra: Partial<BenchConfig>): BenchConfig {
  return {
    models: [defaultModelPath],
    tokenizer: defaultTokenizerPath,
    data: defaultCorpusDir,
    n: 3,
    warmup: 1,
    repeats: 2,
    threads: 1,
    beam: 1,
    lenient: false,
    ...extra,
  };
}

describe('bench on items longer than a window', () => {
  it('runs them window by window: one encoder time per repeat, the same audio, a transcript of about the same length', async () => {
    const whole = await runBenchmark(config({ chunkSec: 0 }), { outDir: join(work, 'whole') });
    const chunked = await runBenchmark(config({ chunkSec: 2, strideSec: 0.5 }), { outDir: join(work, 'chunked') });
    expect(chunked.config).toMatchObject({ chunkSec: 2, strideSec: 0.5 });
    expect(chunked.records.map((r) => r.id)).toEqual(whole.records.map((r) => r.id));
    for (const [i, record] of chunked.records.entries()) {
      const reference = whole.records[i]!;
      expect(record.audioSec).toBe(reference.audioSec);
      expect(record.encoderSec).toHaveLength(2);
      for (const sec of record.encoderSec) expect(sec).toBeGreaterThan(0);
      expect(record.plumbingSec).toBeGreaterThanOrEqual(0);
      const words = (t: string): number => t.split(' ').filter(Boolean).length;
      expect(words(record.hyp)).toBeGreaterThan(0);
      expect(Math.abs(words(record.hyp) - words(reference.hyp))).toBeLessThanOrEqual(3);
    }
  });

  it('refuses chunk settings that keep nothing before writing a journal', async () => {
    await expect(
      runBenchmark(config({ chunkSec: 1, strideSec: 0.5 }), { outDir: join(work, 'bad') }),
    ).rejects.toMatchObject({ code: 'RUNTIME_BAD_CHUNKING' });
    expect(existsSync(join(work, 'bad', 'results.jsonl'))).toBe(false);
  });
});
