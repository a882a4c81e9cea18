import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readAudio } from '@asrq/audio';
import { defaultCorpusDir } from '@asrq/fixtures';
import { createFrontEnd, frontEndNames, getFrontEndDefinition } from '@asrq/frontend';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { useTempDirs } from '@asrq/test-temp';

const { tempDir } = useTempDirs();

const zooDir = fileURLToPath(new URL('../../../packages/fixtures/zoo/', import.meta.url));
const clip = join(defaultCorpusDir, '138', '1001', '138-1001-0031.flac');

interface FeaturesJson {
  frontend: string;
  source: string;
  sampleRate: number;
  frames: number;
  dim: number;
  data: number[][];
}

describe('asrq features', () => {
  it('--list names every front end with its settings and defaults (the keys --frontend-config takes)', async () => {
    const text = await runCli(['features', '--list']);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    for (const name of frontEndNames())
      expect(text.stdout).toMatch(new RegExp(`^${name} \\((waveform|features)\\): `, 'm'));
    expect(text.stdout).toMatch(/^ {2}settings: .*numMelBins 80/m);
    const json = JSON.parse((await runCli(['features', '--list', '--json'])).stdout) as {
      name: string;
      defaults: Record<string, unknown>;
    }[];
    expect(json.map((f) => f.name)).toEqual(frontEndNames());
    for (const f of json) expect(f.defaults).toEqual(getFrontEndDefinition(f.name).defaults);
    const help = await runCli(['transcribe', '--help']);
    expect(help.stdout).toMatch(/asrq\s+features\s+--list/);
  });

  it('without --list it needs the audio file, and says so', async () => {
    const result = await runCli(['features', '--frontend', 'raw']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/asrq features <audio>.*--list/);
  });

  it("prints a named front end's features as JSON, equal to the library's", async () => {
    const result = await runCli(['features', clip, '--frontend', 'kaldi-fbank', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as FeaturesJson;
    const expected = createFrontEnd('kaldi-fbank').compute(await readAudio(clip, { sampleRate: 16000 }));
    expect(out).toMatchObject({ frontend: 'kaldi-fbank', sampleRate: 16000, frames: expected.frames, dim: 80 });
    expect(out.data).toHaveLength(expected.frames);
    expect(out.data[3]![7]).toBeCloseTo(expected.data[3 * 80 + 7]!, 5);
  });

  it('uses the front end a model resolves to, with where it came from', async () => {
    const nemo = JSON.parse(
      (await runCli(['features', clip, '--model', join(zooDir, 'nemo-conformer-ctc', 'model.onnx'), '--json'])).stdout,
    ) as FeaturesJson;
    expect(nemo).toMatchObject({ frontend: 'nemo-mel', dim: 80 });
    expect(nemo.source).toContain('model_config.yaml');
    const hf = JSON.parse(
      (await runCli(['features', clip, '--model', join(zooDir, 'hf-wav2vec2-base', 'model.onnx'), '--json'])).stdout,
    ) as FeaturesJson;
    expect(hf).toMatchObject({ frontend: 'hf-normalize', dim: 1 });
    const values = hf.data.map((row) => row[0]!);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    expect(Math.abs(mean)).toBeLessThan(1e-4);
    expect(hf.frames).toBe((await readAudio(clip, { sampleRate: 16000 })).length);
  });

  it('applies --frontend-config and refuses unknown settings or no front end with a clear message', async () => {
    const dir = await tempDir('asrq-features-');
    await writeFile(join(dir, 'fbank.json'), JSON.stringify({ numMelBins: 40, snipEdges: false }));
    const configured = JSON.parse(
      (
        await runCli([
          'features',
          clip,
          '--frontend',
          'kaldi-fbank',
          '--frontend-config',
          join(dir, 'fbank.json'),
          '--json',
        ])
      ).stdout,
    ) as FeaturesJson;
    expect(configured).toMatchObject({ frontend: 'kaldi-fbank', dim: 40 });
    await writeFile(join(dir, 'bad.yaml'), 'numMelBinz: 40\n');
    const bad = await runCli([
      'features',
      clip,
      '--frontend',
      'kaldi-fbank',
      '--frontend-config',
      join(dir, 'bad.yaml'),
    ]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/numMelBinz/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const noName = await runCli(['features', clip]);
    expect(noName.code).toBe(2);
    expect(noName.stderr).toMatch(/--frontend <name>/);
    const unknown = await runCli(['features', clip, '--frontend', 'mfcc']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Allowed choices are raw, hf-normalize, kaldi-fbank, nemo-mel/);
  });
});
