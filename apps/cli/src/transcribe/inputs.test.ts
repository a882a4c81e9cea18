import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertDistinctOutputs, expandAudioInputs, outputPath } from './inputs.js';
import { useTempDirs } from '@asrq/test-temp';

const { tempDir } = useTempDirs();

describe('expandAudioInputs', () => {
  it('expands directories recursively and globs, keeps plain files, drops duplicates', async () => {
    const dir = await tempDir('asrq-inputs-');
    await mkdir(join(dir, 'a', 'b'), { recursive: true });
    for (const f of ['x.wav', 'a/y.flac', 'a/b/z.FLAC', 'a/notes.txt']) await writeFile(join(dir, f), '');
    const fromDir = await expandAudioInputs([dir]);
    expect(fromDir.map((i) => i.outputStem)).toEqual(['a/b/z', 'a/y', 'x']);
    const fromGlob = await expandAudioInputs([join(dir, '**/*.flac'), join(dir, 'a/y.flac')]);
    expect(fromGlob.map((i) => i.outputStem)).toEqual(['a/y']);
    const star = await expandAudioInputs([join(dir, 'a', '*')]);
    expect(star.map((i) => i.outputStem)).toEqual(['notes', 'y']);
    const plain = await expandAudioInputs([join(dir, 'missing.wav')]);
    expect(plain[0]!.outputStem).toBe('missing');
    expect(outputPath('/out', fromDir[0]!, 'srt')).toBe('/out/a/b/z.srt');
    await expect(expandAudioInputs([join(dir, '*.mp3')])).rejects.toThrow(
      expect.objectContaining({ code: 'CLI_NO_AUDIO' }),
    );
    await expect(expandAudioInputs([join(dir, 'a', 'b', 'c')].map((p) => p.replace(/c$/, '')))).resolves.toHaveLength(
      1,
    );
  });
});

describe('assertDistinctOutputs', () => {
  it('refuses two inputs that would write the same --out-dir file (a/x.wav + b/x.wav, x.wav + x.flac)', async () => {
    const dir = await tempDir('asrq-inputs-');
    await mkdir(join(dir, 'a'), { recursive: true });
    await mkdir(join(dir, 'b'), { recursive: true });
    for (const f of ['a/x.wav', 'b/x.wav', 'a/x.flac']) await writeFile(join(dir, f), '');
    const sameName = await expandAudioInputs([join(dir, 'a/x.wav'), join(dir, 'b/x.wav')]);
    expect(() => assertDistinctOutputs('/out', sameName, 'txt')).toThrow(
      expect.objectContaining({ code: 'CLI_USAGE', message: expect.stringContaining('/out/x.txt') }),
    );
    const twoFormats = await expandAudioInputs([join(dir, 'a/x.wav'), join(dir, 'a/x.flac')]);
    expect(() => assertDistinctOutputs('/out', twoFormats, 'json')).toThrow(/would both be written to \/out\/x\.json/);
    // Given as their folder, they keep their subfolders apart.
    const fromFolders = await expandAudioInputs([join(dir, 'a'), join(dir, 'b')]);
    expect(() =>
      assertDistinctOutputs(
        '/out',
        fromFolders.filter((i) => i.path.endsWith('.wav')),
        'txt',
      ),
    ).toThrow();
    const fromRoot = (await expandAudioInputs([dir])).filter((i) => i.path.endsWith('.wav'));
    expect(() => assertDistinctOutputs('/out', fromRoot, 'txt')).not.toThrow();
  });
});
