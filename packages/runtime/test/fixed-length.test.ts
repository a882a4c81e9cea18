import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAudio } from '@asrq/audio';
import { loadTokenizer } from '@asrq/ctc';
import { defaultModelPath, defaultTokenizerPath } from '@asrq/fixtures';
import { makeTensor, readModel, writeModel } from '@asrq/onnx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CtcModel } from '../src/ctc-model.js';
import { chunkOptionsFor } from '../src/fixed-length.js';
import { chunkSamples } from '../src/long-audio.js';
import { Transcriber } from '../src/transcriber.js';
import { firstUtterancePaths } from './utterances.js';

const FIXED = 32000;

/**
 * The bundled model as a fixed-shape export: one input `input_values` of exactly [1, 32000]
 * samples (as torch.onnx.export writes it without dynamic_axes), its lengths computed in the
 * graph from that shape, one output `logits`.
 */
async function fixedShapeModel(dir: string): Promise<string> {
  const model = await readModel(defaultModelPath);
  const graph = model.proto.graph!;
  graph.input = [
    {
      name: 'input_values',
      type: { tensor_type: { elem_type: 1, shape: { dim: [{ dim_value: 1 }, { dim_value: FIXED }] } } },
    },
  ];
  graph.initializer!.push(
    makeTensor('fx_one', BigInt64Array.from([1n]), [1]),
    makeTensor('fx_two', BigInt64Array.from([2n]), [1]),
    makeTensor('fx_zero', BigInt64Array.from([0n]), [1]),
  );
  graph.node = [
    { op_type: 'Identity', input: ['input_values'], output: ['audio'], name: 'fx/audio' },
    { op_type: 'Shape', input: ['input_values'], output: ['fx_shape'], name: 'fx/shape' },
    { op_type: 'Slice', input: ['fx_shape', 'fx_one', 'fx_two'], output: ['fx_samples'], name: 'fx/samples' },
    { op_type: 'Slice', input: ['fx_shape', 'fx_zero', 'fx_one'], output: ['fx_batch'], name: 'fx/batch' },
    { op_type: 'Expand', input: ['fx_samples', 'fx_batch'], output: ['audio_lengths'], name: 'fx/lengths' },
    ...graph.node!,
  ];
  graph.output = graph.output!.filter((v) => v.name === 'log_probs');
  model.proto.metadata_props = [];
  const path = join(dir, 'fixed.onnx');
  await writeModel(model, path);
  return path;
}

describe('an export with a fixed input length ([1, 32000])', () => {
  let model: CtcModel;
  let dynamic: CtcModel;
  let utterances: Float32Array[];
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'asrq-fixed-'));
    model = await CtcModel.load(await fixedShapeModel(dir));
    dynamic = await CtcModel.load(defaultModelPath);
    utterances = await Promise.all((await firstUtterancePaths(3)).map((f) => readAudio(f)));
  });
  afterAll(async () => {
    await model?.release();
    await dynamic?.release();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is discovered with its fixed length', () => {
    expect(model.info).toMatchObject({ form: 'single-input', fixedInputLength: FIXED, audioInput: 'input_values' });
    expect(dynamic.info.fixedInputLength).toBeUndefined();
  });

  it('pads shorter audio to the fixed length and keeps the frames of the real audio', async () => {
    const clip = utterances[0]!.subarray(0, 24037);
    const [lp] = (await model.forward([clip])).logProbs;
    // The same model run by hand on the clip zero-padded to 32000 samples, trimmed to the clip's share.
    const padded = new Float32Array(FIXED);
    padded.set(clip);
    const [whole] = (await dynamic.forward([padded])).logProbs;
    expect(lp!.frames).toBe(Math.ceil((whole!.frames * clip.length) / FIXED));
    let max = 0;
    for (let i = 0; i < lp!.frames * lp!.vocab; i++) max = Math.max(max, Math.abs(lp!.data[i]! - whole!.data[i]!));
    expect(max).toBeLessThan(1e-4); // the static shape lets onnxruntime pick other kernels: not always bit for bit
  });

  it('refuses longer input naming the length it takes and what to do', () => {
    const long = new Float32Array(40000);
    expect(() => model.buildFeeds([long])).toThrow(
      expect.objectContaining({
        code: 'RUNTIME_INPUT_TOO_LONG',
        message: expect.stringMatching(
          /takes input "input_values" of exactly 32000 samples \(2\.00 s at 16000 Hz\).*Got 40000\..*re-export the model with a dynamic time axis/,
        ),
      }),
    );
  });

  it('transcribes audio of any length: long audio goes through windows that fit', async () => {
    const windows = chunkOptionsFor(model.info, {});
    const { chunk, stride } = chunkSamples(windows, 16000);
    expect(chunk + 2 * stride).toBeLessThanOrEqual(FIXED);
    expect(chunk).toBeGreaterThan(0);
    const tokenizer = await loadTokenizer(defaultTokenizerPath);
    const transcriber = new Transcriber(model, tokenizer);
    const long = utterances[1]!;
    expect(long.length).toBeGreaterThan(FIXED);
    const [a, b] = await transcriber.transcribeBatch([utterances[0]!.subarray(0, 20000), long]);
    expect(a!.text.length).toBeGreaterThan(0);
    expect(b!.text.length).toBeGreaterThan(0);
    expect(b!.words.at(-1)!.endSec).toBeLessThanOrEqual(long.length / 16000 + 0.1);
  });
});
