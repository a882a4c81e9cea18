import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav, readAudio, resample } from '@asrq/audio';
import { loadTokenizer } from '@asrq/ctc';
import { defaultModelPath, defaultTokenizerPath } from '@asrq/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CtcModel } from './ctc-model.js';
import { forwardLong, forwardLongStream } from './forward-long.js';
import { Transcriber } from './transcriber.js';
import { firstUtterancePaths } from '../test/utterances.js';

async function* blocksOf(audio: Float32Array, size: number): AsyncGenerator<Float32Array> {
  for (let at = 0; at < audio.length; at += size) yield audio.slice(at, at + size);
}

describe('long audio from a stream', () => {
  let model: CtcModel;
  let audio: Float32Array;
  let dir: string;
  beforeAll(async () => {
    model = await CtcModel.load(defaultModelPath);
    const parts = await Promise.all((await firstUtterancePaths(2)).map((f) => readAudio(f)));
    audio = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      audio.set(p, at);
      at += p.length;
    }
    dir = mkdtempSync(join(tmpdir(), 'asrq-long-stream-'));
  });
  afterAll(async () => {
    await model.release();
    rmSync(dir, { recursive: true, force: true });
  });

  it("gives forwardLong's log-probs bit for bit, whatever the block size", async () => {
    const options = { chunkSec: 2, strideSec: 0.5 };
    const reference = await forwardLong(model, audio, options);
    for (const size of [777, 16000, audio.length]) {
      const streamed = await forwardLongStream(model, { length: audio.length, blocks: blocksOf(audio, size) }, options);
      expect(streamed.segments).toEqual(reference.segments);
      expect(streamed.logProbs.frames).toBe(reference.logProbs.frames);
      expect(
        Buffer.from(
          streamed.logProbs.data.buffer,
          streamed.logProbs.data.byteOffset,
          streamed.logProbs.data.byteLength,
        ).equals(
          Buffer.from(
            reference.logProbs.data.buffer,
            reference.logProbs.data.byteOffset,
            reference.logProbs.data.byteLength,
          ),
        ),
      ).toBe(true);
    }
  });

  it('says so when the stream is shorter than announced', async () => {
    await expect(
      forwardLongStream(
        model,
        { length: audio.length + 16000, blocks: blocksOf(audio, 4000) },
        { chunkSec: 2, strideSec: 0.5 },
      ),
    ).rejects.toMatchObject({ code: 'RUNTIME_SHORT_STREAM' });
  });

  it('transcribeFile streams a long 44.1 kHz stereo WAV into windows and matches transcribing the decoded file', async () => {
    const at44k = resample(audio, 16000, 44100);
    const path = join(dir, 'long.wav');
    writeFileSync(path, encodeWav([at44k, at44k], 44100, { bitsPerSample: 24 }));
    const transcriber = new Transcriber(model, await loadTokenizer(defaultTokenizerPath), {
      chunkSec: 2,
      strideSec: 0.5,
    });
    const fromFile = await transcriber.transcribeFile(path);
    const fromArray = await transcriber.transcribe(await readAudio(path));
    expect(fromFile.text.split(' ').length).toBeGreaterThan(10);
    expect(fromFile.text).toBe(fromArray.text);
    expect(fromFile.words).toEqual(fromArray.words);
    expect(fromFile.audioSec).toBe(fromArray.audioSec);
  });
});
