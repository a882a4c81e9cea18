import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeWav, readAudio } from '@asrq/audio';
import { defaultCorpusDir } from '@asrq/fixtures';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { useTempDirs } from '@asrq/test-temp';

const { tempDir } = useTempDirs();

const zipformer = fileURLToPath(
  new URL('../../../packages/fixtures/zoo/sherpa-zipformer-ctc/model.onnx', import.meta.url),
);

describe('a model that cannot take the input it is given', () => {
  // The tiny Zipformer export has a positional table baked in for about 20 s; asrq's default windows are 40 s.
  it('fails with RUNTIME_RUN_FAILED naming the model, the input shape and --chunk-sec (exit 4, no stack trace), and works with shorter windows', async () => {
    const clip = await readAudio(join(defaultCorpusDir, '138', '1001', '138-1001-0031.flac'), { sampleRate: 16000 });
    const long = new Float32Array(Math.ceil((60 * 16000) / clip.length) * clip.length);
    for (let at = 0; at < long.length; at += clip.length) long.set(clip, at);
    const wav = join(await tempDir('asrq-run-failure-'), 'long.wav');
    await writeFile(wav, encodeWav([long], 16000));

    const failed = await runCli(['transcribe', '--model', zipformer, wav]);
    expect(failed.code).toBe(4);
    expect(failed.stderr).toMatch(/onnxruntime failed to run .*model\.onnx on input "x" \[1, \d+, 80\]: .*--chunk-sec/);
    expect(failed.stderr).not.toMatch(/\n\s+at /);
    expect(failed.stderr).not.toMatch(/internal error/);

    const chunked = await runCli([
      'transcribe',
      '--model',
      zipformer,
      '--chunk-sec',
      '12',
      '--stride-sec',
      '3',
      '--json',
      wav,
    ]);
    expect(chunked.code).toBe(0);
    expect((JSON.parse(chunked.stdout) as { audioSec: number }).audioSec).toBeGreaterThan(59);
  });
});
