import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultCorpusDir } from '@asrq/fixtures';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { useTempDirs } from '@asrq/test-temp';

const { tempDir } = useTempDirs();

const shortDir = fileURLToPath(new URL('./fixtures/short/', import.meta.url));
const speech = join(defaultCorpusDir, '138', '1001', '138-1001-0031.flac');

describe('very short audio', () => {
  it('transcribes clips of 1 to 1000 samples (padded to what the model takes) instead of crashing', async () => {
    for (const name of ['1-samples.wav', '400-samples.wav', '1000-samples.wav']) {
      const result = await runCli(['transcribe', '--json', join(shortDir, name)]);
      expect(result.stderr, name).toBe('');
      expect(result.code, name).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ file: join(shortDir, name) });
    }
  });

  it('refuses a 0-sample file naming it, without a stack trace', async () => {
    const result = await runCli(['transcribe', join(shortDir, '0-samples.wav')]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('0-samples.wav');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('bench --lenient skips and counts the empty file and measures the short ones', async () => {
    const dir = await tempDir('asrq-short-');
    for (const name of ['0-samples.wav', '1-samples.wav', '1000-samples.wav'])
      await cp(join(shortDir, name), join(dir, name));
    await cp(speech, join(dir, 'speech.flac'));
    const lines = [
      { id: 'a-empty', audio: '0-samples.wav', text: 'NOTHING' },
      { id: 'b-one', audio: '1-samples.wav', text: 'ONE' },
      { id: 'c-short', audio: '1000-samples.wav', text: 'SHORT' },
      { id: 'd-speech', audio: 'speech.flac', text: 'SPEECH' },
    ];
    await writeFile(join(dir, 'manifest.jsonl'), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const out = join(dir, 'run');
    const strict = await runCli([
      'bench',
      '--data',
      join(dir, 'manifest.jsonl'),
      '--n',
      '4',
      '--warmup',
      '0',
      '--repeats',
      '1',
      '--out',
      join(dir, 'strict'),
    ]);
    expect(strict.code).toBe(3);
    expect(strict.stderr).toContain('0-samples.wav');
    expect(strict.stderr).not.toMatch(/\n\s+at /);
    const lenient = await runCli([
      'bench',
      '--data',
      join(dir, 'manifest.jsonl'),
      '--n',
      '4',
      '--warmup',
      '0',
      '--repeats',
      '1',
      '--lenient',
      '--json',
      '--out',
      out,
    ]);
    expect(lenient.code).toBe(0);
    const summary = JSON.parse(lenient.stdout) as { utterances: number; requested: number; skipped: number };
    expect(summary).toMatchObject({ utterances: 3, requested: 4, skipped: 1 });
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as {
      skipped: Array<{ id: string; reason: string }>;
    };
    expect(report.skipped).toEqual([
      expect.objectContaining({ id: 'a-empty', reason: expect.stringContaining('0-samples.wav') }),
    ]);
  });
});
