import { openCorpus, readAudio, selectItems } from '@asrq/audio';
import { defaultCorpusDir, defaultModelPath } from '@asrq/fixtures';
import type { Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { calibrationFeeds, type UtteranceFeeds } from './calibration-feeds.js';

const audioOf = (feeds: UtteranceFeeds): Float32Array => (feeds.audio as Tensor).data as Float32Array;

async function collect(iterable: AsyncIterable<UtteranceFeeds>): Promise<UtteranceFeeds[]> {
  const out: UtteranceFeeds[] = [];
  for await (const feeds of iterable) out.push(feeds);
  return out;
}

describe('calibrationFeeds', () => {
  it('picks the seeded utterances and feeds them as the model expects, lazily and more than once', async () => {
    const inputs = await calibrationFeeds(defaultModelPath, defaultCorpusDir, { n: 3, seed: 7 });
    const want = selectItems((await openCorpus(defaultCorpusDir)).items, { n: 3, seed: 7 });
    expect(inputs.items.map((i) => i.id)).toEqual(want.map((i) => i.id));
    expect(inputs.info.audioInput).toBe('audio');
    const first = await collect(inputs.calibration);
    const again = await collect(inputs.calibration);
    expect(first).toHaveLength(3);
    expect(again).toHaveLength(3);
    const audio = await readAudio(want[2]!.audioPath, { sampleRate: inputs.info.sampleRate });
    expect(audioOf(first[2]!)).toEqual(audio);
    expect(Object.keys(first[0]!).sort()).toEqual(['audio', 'audio_lengths']);
    expect((first[0]!.audio_lengths as Tensor).data).toEqual(BigInt64Array.of(BigInt(audioOf(first[0]!).length)));
    expect(audioOf(inputs.sample)).toEqual(audioOf(first[0]!));
    expect(audioOf(await inputs.feedsOf(want[1]!.audioPath))).toEqual(audioOf(first[1]!));
  });

  it('takes the first n by id without a seed', async () => {
    const inputs = await calibrationFeeds(defaultModelPath, defaultCorpusDir, { n: 2 });
    expect(inputs.items.map((i) => i.id)).toEqual(
      (await openCorpus(defaultCorpusDir)).items.slice(0, 2).map((i) => i.id),
    );
  });

  it('refuses an empty selection with RUNTIME_EMPTY_CORPUS naming the corpus', async () => {
    await expect(calibrationFeeds(defaultModelPath, defaultCorpusDir, { n: 0 })).rejects.toMatchObject({
      code: 'RUNTIME_EMPTY_CORPUS',
      message: expect.stringContaining(`${defaultCorpusDir} has no utterances to calibrate with. Pass a corpus`),
    });
  });
});
