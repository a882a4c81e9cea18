import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav, openCorpus, readAudio } from '@asrq/audio';
import { defaultCorpusDir } from '@asrq/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('asrq transcribe on audio longer than a window', () => {
  let dir: string;
  let wav: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'asrq-cli-long-'));
    // Three bundled utterances end to end (about 9 s).
    const items = (await openCorpus(defaultCorpusDir)).items.slice(0, 3);
    const parts = await Promise.all(items.map((i) => readAudio(i.audioPath)));
    const audio = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      audio.set(p, at);
      at += p.length;
    }
    wav = join(dir, 'long.wav');
    writeFileSync(wav, encodeWav([audio], 16000));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--chunk-sec / --stride-sec run it in windows: words with timings across the whole file', async () => {
    const result = await runCli(['transcribe', '--chunk-sec', '3', '--stride-sec', '0.5', '--json', wav]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const line = JSON.parse(result.stdout) as {
      text: string;
      audioSec: number;
      words: { word: string; startSec: number; endSec: number }[];
    };
    expect(line.audioSec).toBeGreaterThan(6.5);
    expect(line.text.split(' ').length).toBeGreaterThan(10);
    // The last word lies in the last window, near the end of the file, not squeezed into the first seconds.
    expect(line.words.at(-1)!.endSec).toBeGreaterThan(line.audioSec - 2);
    expect(line.words.at(-1)!.endSec).toBeLessThanOrEqual(line.audioSec + 0.02);
  });

  it('refuses a window that keeps nothing with exit code 2', async () => {
    const result = await runCli(['transcribe', '--chunk-sec', '1', '--stride-sec', '0.5', wav]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--chunk-sec .*--stride-sec/);
  });
});
