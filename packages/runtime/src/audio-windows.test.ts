import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWav } from '@asrq/audio';
import { defaultModelPath } from '@asrq/fixtures';
import { describe, expect, it } from 'vitest';
import { audioWindows } from './audio-windows.js';
import { calibrationFeeds } from './calibration-feeds.js';
import { useTempDirs } from '@asrq/test-temp';

const { tempDirSync: tempDir } = useTempDirs();

describe('audioWindows', () => {
  it('cuts long audio into near-equal windows of at most windowSec that tile it exactly, without copying', () => {
    const audio = Float32Array.from({ length: 16000 * 70 + 3 }, (_, i) => i);
    const windows = audioWindows(audio, 16000);
    expect(windows).toHaveLength(3);
    for (const w of windows) {
      expect(w.length).toBeLessThanOrEqual(16000 * 30);
      expect(w.length).toBeGreaterThan(16000 * 23);
      expect(w.buffer).toBe(audio.buffer);
    }
    expect(windows.reduce((n, w) => n + w.length, 0)).toBe(audio.length);
    expect(windows[1]![0]).toBe(windows[0]!.length);
    const short = new Float32Array(100);
    expect(audioWindows(short, 16000)).toEqual([short]);
    expect(() => audioWindows(short, 16000, 0)).toThrow(expect.objectContaining({ code: 'RUNTIME_BAD_CHUNKING' }));
  });

  it('calibrationFeeds calibrates a 70 s utterance as three windows instead of one 70 s input', async () => {
    const dir = tempDir('asrq-windows-');
    writeFileSync(
      join(dir, 'long.wav'),
      encodeWav([new Float32Array(16000 * 70).map((_, i) => 0.1 * Math.sin(i / 7))], 16000),
    );
    writeFileSync(join(dir, 'm.jsonl'), `${JSON.stringify({ audio: 'long.wav', text: 'X' })}\n`);
    const { calibration } = await calibrationFeeds(defaultModelPath, join(dir, 'm.jsonl'), { n: 1 });
    const lengths: number[] = [];
    for await (const feeds of calibration) lengths.push(Number(Object.values(feeds)[0]!.dims.at(-1)));
    expect(lengths).toHaveLength(3);
    for (const length of lengths) expect(length).toBeLessThanOrEqual(16000 * 30);
  });
});
