import { join } from 'node:path';
import { readAudio } from '@asrq/audio';
import { loadTokenizer } from '@asrq/ctc';
import { defaultModelPath, defaultTokenizerPath } from '@asrq/fixtures';
import { makeTensor, modelDiskSize, readModel, writeModel } from '@asrq/onnx';
import { beforeAll, describe, expect, it } from 'vitest';
import { CtcModel } from '../src/ctc-model.js';
import { Transcriber } from '../src/transcriber.js';
import { firstUtterancePaths } from './utterances.js';
import { useTempDirs } from '@asrq/test-temp';

const { tempDir } = useTempDirs();

/**
 * Rewrites the bundled model into the form transformers' wav2vec2 exports have: one input
 * `input_values` [batch, samples], one output `logits` that is NOT normalised (the log-probs
 * plus a constant), and no asrq metadata. The lengths the original graph needs are computed
 * inside the graph from the input's shape.
 */
async function singleInputModel(dir: string): Promise<string> {
  const model = await readModel(defaultModelPath);
  const graph = model.proto.graph!;
  const audioInput = graph.input!.find((v) => v.name === 'audio')!;
  graph.input = [{ ...audioInput, name: 'input_values' }];
  graph.initializer!.push(
    makeTensor('hf_one', BigInt64Array.from([1n]), [1]),
    makeTensor('hf_two', BigInt64Array.from([2n]), [1]),
    makeTensor('hf_zero', BigInt64Array.from([0n]), [1]),
    makeTensor('hf_offset', Float32Array.from([3.5]), []),
  );
  graph.node = [
    { op_type: 'Identity', input: ['input_values'], output: ['audio'], name: 'hf/audio' },
    { op_type: 'Shape', input: ['input_values'], output: ['hf_shape'], name: 'hf/shape' },
    { op_type: 'Slice', input: ['hf_shape', 'hf_one', 'hf_two'], output: ['hf_samples'], name: 'hf/samples' },
    { op_type: 'Slice', input: ['hf_shape', 'hf_zero', 'hf_one'], output: ['hf_batch'], name: 'hf/batch' },
    { op_type: 'Expand', input: ['hf_samples', 'hf_batch'], output: ['audio_lengths'], name: 'hf/lengths' },
    ...graph.node!,
    { op_type: 'Add', input: ['log_probs', 'hf_offset'], output: ['logits'], name: 'hf/logits' },
  ];
  const logProbs = graph.output!.find((v) => v.name === 'log_probs')!;
  graph.output = [{ ...logProbs, name: 'logits' }];
  model.proto.metadata_props = [];
  const path = join(dir, 'wav2vec2-hf-style.onnx');
  await writeModel(model, path);
  return path;
}

async function firstUtterances(count: number): Promise<Float32Array[]> {
  return Promise.all((await firstUtterancePaths(count)).map((f) => readAudio(f)));
}

describe('model size on disk', () => {
  it('counts external-data files', async () => {
    const dir = await tempDir('asrq-ext-');
    const path = join(dir, 'external.onnx');
    await writeModel(await readModel(defaultModelPath), path, { externalDataThreshold: 1024 });
    const { bytes, externalFiles } = await modelDiskSize(path);
    expect(externalFiles).toHaveLength(1);
    const { size } = await import('node:fs/promises').then((fs) => fs.stat(path));
    expect(size).toBeLessThan(1_000_000);
    expect(bytes).toBeGreaterThan(18_000_000);
    const model = await CtcModel.load(path);
    expect(await model.diskBytes()).toBe(bytes);
    expect(model.sizeBytes).toBe(size);
    await model.release();
  });
});

describe('a transformers-style single-input model', () => {
  let path: string;
  beforeAll(async () => {
    path = await singleInputModel(await tempDir('asrq-hf-'));
  });

  it('is detected as single-input with unnormalised logits, and transcribes exactly like the original', async () => {
    const tokenizer = await loadTokenizer(defaultTokenizerPath);
    const hf = await CtcModel.load(path);
    const original = await CtcModel.load(defaultModelPath);
    try {
      expect(hf.info).toMatchObject({
        form: 'single-input',
        audioInput: 'input_values',
        scoresOutput: 'logits',
        sampleRate: 16000,
        blankIdSource: 'tokenizer',
      });
      expect(hf.info.lengthsInput).toBeUndefined();
      const audios = await firstUtterances(3);
      const [lp] = (await hf.forward([audios[0]!])).logProbs;
      let sum = 0;
      for (let v = 0; v < lp!.vocab; v++) sum += Math.exp(lp!.data[5 * lp!.vocab + v]!);
      expect(sum).toBeCloseTo(1, 4);
      const a = await new Transcriber(hf, tokenizer).transcribeBatch(audios);
      const b = await new Transcriber(original, tokenizer).transcribeBatch(audios);
      expect(a.map((t) => t.text)).toEqual(b.map((t) => t.text));
      // Rows of different lengths cannot share a batch on a model without lengths or a mask.
      expect(() => hf.buildFeeds([audios[0]!, audios[1]!])).toThrow(/no lengths or attention_mask input/);
    } finally {
      await hf.release();
      await original.release();
    }
  });
});
