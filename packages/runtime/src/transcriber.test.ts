import { readAudio } from '@asrq/audio';
import { loadTokenizer } from '@asrq/ctc';
import { defaultModelPath, defaultTokenizerPath } from '@asrq/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CtcModel } from './ctc-model.js';
import { findTokenizer } from '@asrq/ctc';
import { Transcriber } from './transcriber.js';
import { firstUtterancePaths } from '../test/utterances.js';

describe('Transcriber on the bundled model', () => {
  let model: CtcModel;
  let transcriber: Transcriber;
  beforeAll(async () => {
    model = await CtcModel.load(defaultModelPath);
    transcriber = new Transcriber(model, await loadTokenizer(defaultTokenizerPath));
  });
  afterAll(async () => {
    await model.release();
  });

  it('finds the tokenizer beside the model', async () => {
    expect(await findTokenizer(defaultModelPath)).toBe(defaultTokenizerPath);
    await expect(findTokenizer('/tmp/nowhere/model.onnx')).rejects.toMatchObject({ code: 'RUNTIME_NO_TOKENIZER' });
  });

  it('transcribes speech into upper-case words with ordered timings inside the audio', async () => {
    const [file] = await firstUtterancePaths(1);
    const result = await transcriber.transcribe(await readAudio(file!));
    expect(result.text).toMatch(/^[A-Z']+( [A-Z']+)*$/);
    expect(result.words.map((w) => w.word).join(' ')).toBe(result.text);
    for (const [i, w] of result.words.entries()) {
      expect(w.endSec).toBeGreaterThan(w.startSec);
      expect(w.endSec).toBeLessThanOrEqual(result.audioSec + 0.02);
      if (i > 0) expect(w.startSec).toBeGreaterThanOrEqual(result.words[i - 1]!.endSec - 1e-9);
    }
  });

  it('transcribes a file path the same as its decoded audio', async () => {
    const [file] = await firstUtterancePaths(1);
    expect((await transcriber.transcribeFile(file!)).text).toBe(
      (await transcriber.transcribe(await readAudio(file!))).text,
    );
  });

  it('returns batched results in input order, equal to one-at-a-time for unpadded models', async () => {
    const audios = await Promise.all((await firstUtterancePaths(3)).map((f) => readAudio(f)));
    const single = await Promise.all(audios.map(async (a) => (await transcriber.transcribe(a)).text));
    const batched = (await transcriber.transcribeBatch(audios)).map((r) => r.text);
    expect(batched).toEqual(single);
  });

  it('refuses a tokenizer whose size does not match the model', async () => {
    const fake = { ...(await loadTokenizer(defaultTokenizerPath)), vocabSize: 32 };
    expect(() => new Transcriber(model, fake)).toThrow(/32 tokens but .*outputs 256/);
  });
});
