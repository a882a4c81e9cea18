import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readAudio } from '@asrq/audio';
import { defaultCorpusDir } from '@asrq/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calibrationFeeds } from '../src/calibration-feeds.js';
import { CtcModel } from '../src/ctc-model.js';
import { float16Bits, float16ToFloat32, float16Value, toFloat16Bits } from '../src/float16.js';
import { loadModelTokenizer } from '../src/model-tokenizer.js';
import { Transcriber } from '../src/transcriber.js';
import { useTempDirs } from '@asrq/test-temp';

const { tempDir } = useTempDirs();

// fp16 exports: scripts/zoo/fp16.py converted the tiny transformers wav2vec2-base export with
// onnxruntime's own float16 converter (keep_io_types=False: input_values and logits are float16).
const fp16Model = fileURLToPath(new URL('./fixtures/fp16/hf-wav2vec2-base/model.onnx', import.meta.url));
const floatModel = fileURLToPath(new URL('../../fixtures/zoo/hf-wav2vec2-base/model.onnx', import.meta.url));
const clip = `${defaultCorpusDir}138/1001/138-1001-0031.flac`;

describe('float32 -> float16 bits', () => {
  it('gives the IEEE patterns of known values: normals, the largest finite, overflow, subnormals, zeros, NaN', () => {
    expect(float16Bits(1)).toBe(0x3c00);
    expect(float16Bits(-2)).toBe(0xc000);
    expect(float16Bits(65504)).toBe(0x7bff);
    expect(float16Bits(65520)).toBe(0x7c00); // halfway to the next power: rounds to even, which is infinity
    expect(float16Bits(65519)).toBe(0x7bff);
    expect(float16Bits(Number.POSITIVE_INFINITY)).toBe(0x7c00);
    expect(float16Bits(2 ** -14)).toBe(0x0400); // smallest normal
    expect(float16Bits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(float16Bits(2 ** -25)).toBe(0x0000); // exactly half of it: ties to even (0)
    expect(float16Bits(3 * 2 ** -26)).toBe(0x0001); // above half: up
    expect(float16Bits(3 * 2 ** -25)).toBe(0x0002); // 1.5 units: ties to even (2)
    expect(float16Bits(-0)).toBe(0x8000);
    expect(float16Bits(1e-30)).toBe(0);
    expect(float16Bits(Number.NaN) & 0x7c00).toBe(0x7c00);
    expect(float16Bits(Number.NaN) & 0x3ff).not.toBe(0);
  });

  it('round-trips every finite float16 value exactly and rounds every midpoint between neighbours to the even one', () => {
    for (let h = 0; h < 0x10000; h++) {
      const value = float16Value(h);
      if (Number.isNaN(value)) continue;
      expect(float16Bits(value)).toBe(h === 0x8000 ? 0x8000 : h);
      // The midpoint to the next larger magnitude, when both are finite.
      const next = h + 1;
      if ((h & 0x7fff) >= 0x7bff) continue;
      const mid = (value + float16Value(next)) / 2; // exact in float32: 12 significant bits
      const even = (h & 1) === 0 ? h : next;
      if (float16Bits(mid) !== even) expect.fail(`midpoint of 0x${h.toString(16)} and its neighbour rounded wrong`);
      const above = mid + (float16Value(next) - value) / 8;
      if (float16Bits(above) !== next) expect.fail(`just above the midpoint of 0x${h.toString(16)} must round up`);
    }
  });

  it('converts arrays both ways, Uint16Array bits or a Float16Array-like of numbers', () => {
    const values = Float32Array.from([0.5, -1.25, 3.140625, 1000]);
    const bits = toFloat16Bits(values);
    expect(Array.from(bits)).toEqual([0x3800, 0xbd00, 0x4248, 0x63d0]);
    expect(Array.from(float16ToFloat32(bits))).toEqual(Array.from(values));
    expect(Array.from(float16ToFloat32([0.5, 2]))).toEqual([0.5, 2]);
  });
});

describe('an fp16 export (float16 input and output)', () => {
  let half: CtcModel;
  let full: CtcModel;
  let audio: Float32Array;
  beforeAll(async () => {
    half = await CtcModel.load(fp16Model);
    full = await CtcModel.load(floatModel);
    audio = (await readAudio(clip, { sampleRate: 16000 })).subarray(8000, 8000 + 24037);
  });
  afterAll(async () => {
    await half?.release();
    await full?.release();
  });

  it('is discovered with a float16 input and fed float16 values (normalised first, then rounded)', () => {
    expect(half.info).toMatchObject({ family: 'transformers', inputType: 'float16', audioInput: 'input_values' });
    expect(half.info.frontEnd.name).toBe('hf-normalize');
    expect(full.info.inputType).toBe('float32');
    const feeds = half.buildFeeds([audio]);
    const input = feeds.input_values!;
    expect(input.type).toBe('float16');
    const normalised = full.info.frontEnd.compute(audio).data;
    expect(Array.from(input.data as Uint16Array)).toEqual(Array.from(toFloat16Bits(normalised)));
  });

  it('gives the float model its log-probs within fp16 precision, and transcribes', async () => {
    const [a] = (await half.forward([audio])).logProbs;
    const [b] = (await full.forward([audio])).logProbs;
    expect(a!.frames).toBe(b!.frames);
    let max = 0;
    for (let i = 0; i < a!.data.length; i++) max = Math.max(max, Math.abs(a!.data[i]! - b!.data[i]!));
    // Python onnxruntime on the same conversion: 2.3e-3 on a test tone (scripts/zoo/fp16.py).
    expect(max).toBeLessThan(0.05);
    expect(max).toBeGreaterThan(0); // really computed in fp16
    const tokenizer = await loadModelTokenizer(half);
    const transcript = await new Transcriber(half, tokenizer).transcribe(audio);
    expect(transcript.tokens.length).toBeGreaterThan(0);
  });

  it('gets float16 calibration and validation feeds', async () => {
    const corpus = await tempDir('asrq-fp16-');
    await mkdir(join(corpus, '138', '1001'), { recursive: true });
    const { copyFile } = await import('node:fs/promises');
    await copyFile(clip, join(corpus, '138', '1001', '138-1001-0031.flac'));
    await writeFile(join(corpus, '138', '1001', '138-1001.trans.txt'), '138-1001-0031 A TEST\n');
    const { sample, calibration, info } = await calibrationFeeds(fp16Model, corpus, { n: 1 });
    expect(info.inputType).toBe('float16');
    expect(sample.input_values!.type).toBe('float16');
    for await (const feeds of calibration) expect(feeds.input_values!.type).toBe('float16');
  });
});
