import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWav, openCorpus, readAudio } from '@asrq/audio';
import { createLmTuneJob, loadLm, loadTokenizer } from '@asrq/ctc';
import { defaultCorpusDir, defaultModelPath, defaultTokenizerPath } from '@asrq/fixtures';
import { CtcModel, forwardLong } from '@asrq/runtime';
import { describe, expect, it } from 'vitest';
import { devLogProbs } from './log-probs.js';
import { useTempDirs } from '@asrq/test-temp';

const { tempDirSync: tempDir } = useTempDirs();

// Issue 24: a 10-minute file took > 8 GB in lm tune. Its log-probs are computed window by window,
// as transcription stitches them; shown here on 70 s.
describe('lm tune log-probs on long audio', () => {
  it('are computed window by window, exactly as transcription stitches them, and packed as they are', async () => {
    const dir = tempDir('asrq-long-tune-');
    const items = (await openCorpus(defaultCorpusDir)).items;
    const parts: Float32Array[] = [];
    for (let total = 0, i = 0; total < 16000 * 70; i++) {
      const part = await readAudio(items[i % items.length]!.audioPath);
      parts.push(part);
      total += part.length;
    }
    const long = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (long.set(p, at), at + p.length), 0);
    writeFileSync(join(dir, 'long.wav'), encodeWav([long], 16000));
    const manifest = join(dir, 'long.jsonl');
    writeFileSync(manifest, `${JSON.stringify({ audio: 'long.wav', text: 'A LONG RECORDING' })}\n`);
    const model = await CtcModel.load(defaultModelPath);
    try {
      const lm = await loadLm(new URL('../../../ctc/test/fixtures/lm-3gram-pruned.arpa.gz', import.meta.url).pathname);
      const dev = await devLogProbs(model, manifest, 1);
      const job = createLmTuneJob(dev.logProbs, await loadTokenizer(defaultTokenizerPath), lm, 4);
      const stitched = (await forwardLong(model, long, {})).logProbs;
      expect(job.spans[1]).toBe(stitched.frames);
      expect(Array.from(job.logProbs.subarray(0, 4 * stitched.vocab))).toEqual(
        Array.from(stitched.data.subarray(0, 4 * stitched.vocab)),
      );
      const end = stitched.frames * stitched.vocab;
      expect(Array.from(job.logProbs.subarray(end - stitched.vocab, end))).toEqual(
        Array.from(stitched.data.subarray(end - stitched.vocab, end)),
      );
      expect(dev.refs).toEqual([{ id: expect.any(String), ref: 'A LONG RECORDING' }]);
    } finally {
      await model.release();
    }
  });
});
