import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav, openCorpus, readAudio } from '@asrq/audio';
import { defaultCorpusDir, defaultModelPath } from '@asrq/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calibrationFeeds } from '../src/calibration-feeds.js';

// Issue 24: a 10-minute file took > 8 GB in calibration, validation and sensitivity. The same
// windows transcription uses keep every model input at 30 s at most; shown here on 70 s.
let manifest: string;
let long: Float32Array;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'asrq-long-calibration-'));
  const items = (await openCorpus(defaultCorpusDir)).items;
  const parts: Float32Array[] = [];
  for (let total = 0, i = 0; total < 16000 * 70; i++) {
    const part = await readAudio(items[i % items.length]!.audioPath);
    parts.push(part);
    total += part.length;
  }
  long = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (long.set(p, at), at + p.length), 0);
  writeFileSync(join(dir, 'long.wav'), encodeWav([long], 16000));
  manifest = join(dir, 'long.jsonl');
  writeFileSync(manifest, `${JSON.stringify({ audio: 'long.wav', text: 'A LONG RECORDING' })}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const longestInput = (feeds: Record<string, { dims: readonly number[] }>): number =>
  Math.max(...Object.values(feeds).map((t) => Number(t.dims.at(-1))));

describe('calibrationFeeds on long audio', () => {
  it('calibrates window by window, and the validation and sensitivity sample is the first 30 s window, not the whole file', async () => {
    expect(long.length).toBeGreaterThan(16000 * 70);
    const inputs = await calibrationFeeds(defaultModelPath, manifest, { n: 1, seed: 0 });
    expect(longestInput(inputs.sample)).toBeLessThanOrEqual(16000 * 30);
    const windows: number[] = [];
    for await (const feeds of inputs.calibration) windows.push(longestInput(feeds));
    expect(windows.length).toBeGreaterThanOrEqual(3);
    for (const w of windows) expect(w).toBeLessThanOrEqual(16000 * 30);
    expect(longestInput(inputs.sample)).toBe(windows[0]);
  });
});
