import { readFile } from 'node:fs/promises';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultModelPath } from '@asrq/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CtcModel } from './ctc-model.js';
import { readOnnxMetadata } from './onnx-metadata.js';
import { useTempDirs } from '@asrq/test-temp';

const { tempDir } = useTempDirs();

function tone(seconds: number, hz: number): Float32Array {
  const out = new Float32Array(Math.round(seconds * 16000));
  for (let i = 0; i < out.length; i++)
    out[i] = 0.3 * Math.sin((2 * Math.PI * hz * i) / 16000) + 0.05 * Math.sin(i * 0.37);
  return out;
}

describe('readOnnxMetadata', () => {
  it('reads metadata_props of the bundled model without loading the graph', async () => {
    expect(await readOnnxMetadata(defaultModelPath)).toMatchObject({
      model_type: 'ctc',
      sample_rate: '16000',
      blank_id: '0',
      vocab_size: '256',
      frame_stride_samples: '320',
      tokenizer: 'sentencepiece',
    });
  });

  it('rejects a file that is not a model', async () => {
    const dir = await tempDir('asrq-rt-');
    const path = join(dir, 'notes.onnx');
    await writeFile(path, 'this is plain text, not protobuf\n');
    await expect(readOnnxMetadata(path)).rejects.toThrow(/notes\.onnx is not an ONNX model/);
  });
});

describe('CtcModel on the bundled model', () => {
  let model: CtcModel;
  beforeAll(async () => {
    model = await CtcModel.load(defaultModelPath);
  });
  afterAll(async () => {
    await model.release();
  });

  it('discovers the interface and session settings', () => {
    expect(model.info.form).toBe('audio-with-lengths');
    expect(model.settings.threads).toBe(1);
    expect(model.sizeBytes).toBeGreaterThan(1_000_000);
    expect(model.supportsPadding).toBe(true);
  });

  it('returns normalised log-probs with one frame per 320 samples', async () => {
    const { logProbs, encoderSec } = await model.forward([tone(1, 300)]);
    const lp = logProbs[0]!;
    expect(lp.frames).toBe(46);
    expect(lp.vocab).toBe(256);
    expect(encoderSec).toBeGreaterThan(0);
    let sum = 0;
    for (let v = 0; v < 256; v++) sum += Math.exp(lp.data[10 * 256 + v]!);
    expect(sum).toBeCloseTo(1, 4);
  });

  it('gives each row of a batch the same log-probs as running it alone', async () => {
    const first = tone(1.2, 200);
    const second = tone(1.2, 500);
    const alone = (await model.forward([second])).logProbs[0]!;
    const batched = (await model.forward([first, second])).logProbs[1]!;
    expect(batched.frames).toBe(alone.frames);
    let maxDiff = 0;
    for (let i = 0; i < alone.data.length; i++)
      maxDiff = Math.max(maxDiff, Math.abs(alone.data[i]! - batched.data[i]!));
    expect(maxDiff).toBeLessThan(1e-3);
  });

  // The bundled model does not mask padded frames everywhere (attention sees them), so a
  // padded row's scores move; this is why measurements run one utterance at a time.
  it('trims padded rows to their own frame count', async () => {
    const short = tone(0.8, 200);
    const [row] = (await model.forward([short, tone(1.6, 500)])).logProbs;
    expect(row!.frames).toBe((await model.forward([short])).logProbs[0]!.frames);
  });

  it('pads audio shorter than the model can take instead of crashing, and finds that minimum once', async () => {
    const min = await model.minSamples();
    expect(min).toBeGreaterThan(1);
    expect(min).toBeLessThan(16000);
    for (const length of [1, Math.max(1, min - 1), min]) {
      const { logProbs } = await model.forward([tone(length / 16000, 440)]);
      expect(logProbs[0]!.frames).toBeGreaterThan(0);
    }
  });

  it('refuses an empty batch and empty audio with a clear error', async () => {
    await expect(model.forward([])).rejects.toThrow(/empty batch/);
    await expect(model.forward([new Float32Array(0)])).rejects.toThrow(/empty input \(0 samples\)/);
  });
});

describe('CtcModel errors', () => {
  it('names a missing model file', async () => {
    await expect(CtcModel.load('/nonexistent/model.onnx')).rejects.toMatchObject({ code: 'RUNTIME_MODEL_NOT_FOUND' });
  });

  it('refuses a truncated model', async () => {
    const dir = await tempDir('asrq-rt-');
    const path = join(dir, 'half.onnx');
    const bytes = await readFile(defaultModelPath);
    await writeFile(path, bytes.subarray(0, bytes.length >> 1));
    await expect(CtcModel.load(path)).rejects.toMatchObject({ code: expect.stringMatching(/RUNTIME_BAD_MODEL/) });
  });
});
