import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCorpusDir } from '@asrq/fixtures';
import { afterAll, describe, expect, it } from 'vitest';
import { iterateAudio, openCorpus } from './corpus.js';
import { decodeFlacSamples } from './flac-decoder.js';
import { probeAudio, readAudio } from './read-audio.js';
import { selectItems } from './select-items.js';
import { encodeWav } from './wav.js';
import { rejection } from '../test/rejection.js';

const work = mkdtempSync(join(tmpdir(), 'asrq-audio-corpus-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A private copy of the bundled corpus under <work>/<name>/LibriSpeech/dev-mini, to damage. */
function copyCorpus(name: string): string {
  const dir = join(work, name, 'LibriSpeech', 'dev-mini');
  cpSync(defaultCorpusDir, dir, { recursive: true });
  return dir;
}

describe('openCorpus on LibriSpeech layout', () => {
  it('lists the 40 bundled utterances sorted by id, with transcripts, speakers and chapters', async () => {
    const corpus = await openCorpus(defaultCorpusDir);
    expect(corpus.kind).toBe('librispeech');
    expect(corpus.items).toHaveLength(40);
    expect(corpus.warnings).toEqual([]);
    const ids = corpus.items.map((i) => i.id);
    expect(ids).toEqual([...ids].sort());
    const first = corpus.items.find((i) => i.id === '100-1001-0028')!;
    expect(first).toMatchObject({
      speaker: '100',
      chapter: '1001',
      transcript: 'PARENTS AND TEACHERS ALIKE DEMANDED REFORMS',
    });
    expect(first.audioPath).toBe(join(defaultCorpusDir, '100', '1001', '100-1001-0028.flac'));
    expect(first.durationSec).toBeUndefined();
  });

  it('finds the split when pointed at its parent directory', async () => {
    const dir = copyCorpus('parent');
    const corpus = await openCorpus(join(dir, '..', '..'));
    expect(corpus.items).toHaveLength(40);
  });

  it('probes durations from the headers, equal to the decoded lengths', async () => {
    const corpus = await openCorpus(defaultCorpusDir, { probeDurations: true });
    for (const item of corpus.items.slice(0, 8)) {
      const { channels } = decodeFlacSamples(readFileSync(item.audioPath));
      expect(item.durationSec).toBe(channels[0]!.length / 16000);
    }
  });

  it('strict mode names the transcript line whose audio is missing; lenient mode skips it with a warning', async () => {
    const dir = copyCorpus('missing-audio');
    unlinkSync(join(dir, '100', '1001', '100-1001-0028.flac'));
    const error = await rejection(openCorpus(dir));
    expect(error.code).toBe('CORPUS_MISSING_AUDIO');
    expect(error.message).toContain(`${join(dir, '100', '1001', '100-1001.trans.txt')}:1`);
    const lenient = await openCorpus(dir, { lenient: true });
    expect(lenient.items).toHaveLength(39);
    expect(lenient.warnings).toEqual([expect.objectContaining({ code: 'CORPUS_MISSING_AUDIO' })]);
  });

  it('reports audio without a transcript line', async () => {
    const dir = copyCorpus('orphan');
    const orphan = join(dir, '100', '1001', '100-1001-9999.wav');
    writeFileSync(orphan, encodeWav([new Float32Array(1600)], 16000));
    const error = await rejection(openCorpus(dir));
    expect(error.code).toBe('CORPUS_MISSING_TRANSCRIPT');
    expect(error.message).toContain(orphan);
    const lenient = await openCorpus(dir, { lenient: true });
    expect(lenient.items).toHaveLength(40);
    expect(lenient.warnings.map((w) => w.path)).toEqual([orphan]);
  });

  it('in lenient mode, skips and counts undecodable files when probing', async () => {
    const dir = copyCorpus('broken');
    const path = join(dir, '100', '1001', '100-1001-0028.flac');
    writeFileSync(path, readFileSync(path).subarray(0, 30));
    expect((await rejection(openCorpus(dir, { probeDurations: true }))).code).toBe('AUDIO_DECODE_FAILED');
    const lenient = await openCorpus(dir, { probeDurations: true, lenient: true });
    expect(lenient.items).toHaveLength(39);
    expect(lenient.warnings).toEqual([expect.objectContaining({ code: 'AUDIO_DECODE_FAILED', path })]);
  });

  it('gives CORPUS_NOT_FOUND and CORPUS_EMPTY for a missing or empty directory', async () => {
    expect((await rejection(openCorpus(join(work, 'nope')))).code).toBe('CORPUS_NOT_FOUND');
    mkdirSync(join(work, 'empty'));
    const empty = await rejection(openCorpus(join(work, 'empty')));
    expect(empty.code).toBe('CORPUS_EMPTY');
    expect(empty.message).toContain('trans.txt');
  });
});

describe('openCorpus on a JSONL manifest', () => {
  it('resolves relative audio paths, derives ids, and reports bad lines with file:line', async () => {
    const dir = join(work, 'manifest');
    mkdirSync(join(dir, 'clips'), { recursive: true });
    writeFileSync(join(dir, 'clips', 'a.wav'), encodeWav([new Float32Array(8000)], 16000));
    cpSync(join(defaultCorpusDir, '100', '1001', '100-1001-0028.flac'), join(dir, 'clips', 'b.flac'));
    const lines = [
      JSON.stringify({ audio: 'clips/b.flac', text: 'HELLO THERE' }),
      JSON.stringify({ audio: 'clips/a.wav', text: 'SILENCE', id: 'utt-a', duration: 0.5 }),
    ];
    writeFileSync(join(dir, 'good.jsonl'), `${lines.join('\n')}\n`);
    const corpus = await openCorpus(join(dir, 'good.jsonl'), { probeDurations: true });
    expect(corpus.kind).toBe('manifest');
    expect(corpus.items.map((i) => [i.id, i.audioPath, i.transcript, i.durationSec])).toEqual([
      ['b', join(dir, 'clips', 'b.flac'), 'HELLO THERE', 66196 / 16000],
      ['utt-a', join(dir, 'clips', 'a.wav'), 'SILENCE', 0.5],
    ]);

    writeFileSync(
      join(dir, 'bad.jsonl'),
      `${lines[0]}\n{"audio": "clips/a.wav", "text": \n${JSON.stringify({ audio: 'clips/none.wav', text: 'X' })}\n`,
    );
    const error = await rejection(openCorpus(join(dir, 'bad.jsonl')));
    expect(error.code).toBe('CORPUS_BAD_MANIFEST');
    expect(error.message).toContain(`${join(dir, 'bad.jsonl')}:2`);
    const lenient = await openCorpus(join(dir, 'bad.jsonl'), { lenient: true });
    expect(lenient.items.map((i) => i.id)).toEqual(['b']);
    expect(lenient.warnings.map((w) => w.code)).toEqual(['CORPUS_BAD_MANIFEST', 'CORPUS_MISSING_AUDIO']);
  });

  it('accepts a UTF-8 BOM and refuses a duration that is not a number of seconds, with file:line', async () => {
    const dir = join(work, 'manifest-bom');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.wav'), encodeWav([new Float32Array(1600)], 16000));
    writeFileSync(join(dir, 'bom.jsonl'), `\uFEFF${JSON.stringify({ audio: 'a.wav', text: 'HI', duration: 0.1 })}\n`);
    const corpus = await openCorpus(join(dir, 'bom.jsonl'));
    expect(corpus.items.map((i) => [i.id, i.durationSec])).toEqual([['a', 0.1]]);
    writeFileSync(join(dir, 'bom.json'), `\uFEFF[${JSON.stringify({ audio: 'a.wav', text: 'HI' })}]`);
    expect((await openCorpus(join(dir, 'bom.json'))).items).toHaveLength(1);
    for (const duration of ['"long"', '-1', 'true', '{}']) {
      writeFileSync(
        join(dir, 'long.jsonl'),
        `${JSON.stringify({ audio: 'a.wav', text: 'HI', id: 'x' })}\n{"audio": "a.wav", "text": "HI", "duration": ${duration}}\n`,
      );
      const error = await rejection(openCorpus(join(dir, 'long.jsonl')));
      expect(error.code).toBe('CORPUS_BAD_MANIFEST');
      expect(error.message).toContain(`${join(dir, 'long.jsonl')}:2: "duration" must be a number of seconds`);
    }
  });
});

describe('selectItems', () => {
  const items = Array.from({ length: 50 }, (_, i) => ({
    id: `u${String(i).padStart(3, '0')}`,
    audioPath: `/x/${i}.flac`,
    transcript: 'T',
    durationSec: 1 + (i % 10),
  }));

  it('takes the first n after an offset, in id order', () => {
    expect(selectItems(items, { offset: 10, n: 5 }).map((i) => i.id)).toEqual(['u010', 'u011', 'u012', 'u013', 'u014']);
    expect(selectItems(items, {})).toHaveLength(50);
  });

  it('samples reproducibly with a seed: distinct, in order, from the pool, different seeds differ', () => {
    const a = selectItems(items, { n: 10, seed: 1234 });
    expect(selectItems(items, { n: 10, seed: 1234 })).toEqual(a);
    expect(new Set(a.map((i) => i.id)).size).toBe(10);
    expect(a.map((i) => i.id)).toEqual(a.map((i) => i.id).sort());
    expect(selectItems(items, { n: 10, seed: 99 })).not.toEqual(a);
  });

  it('filters by duration before offset and count', () => {
    const picked = selectItems(items, { minDurationSec: 3, maxDurationSec: 4, n: 100 });
    expect(picked.every((i) => i.durationSec! >= 3 && i.durationSec! <= 4)).toBe(true);
    expect(picked).toHaveLength(10);
    const withoutDurations = items.map(({ durationSec: _, ...rest }) => rest);
    expect(() => selectItems(withoutDurations, { maxDurationSec: 5 })).toThrow(
      expect.objectContaining({ code: 'CORPUS_DURATION_UNKNOWN' }),
    );
  });
});

describe('reading audio lazily', () => {
  it('readAudio and probeAudio agree; iterateAudio decodes one item at a time', async () => {
    const corpus = await openCorpus(defaultCorpusDir);
    const [first, second] = corpus.items;
    const samples = await readAudio(first!.audioPath);
    const info = await probeAudio(first!.audioPath);
    expect(info).toMatchObject({ format: 'flac', channels: 1, sampleRate: 16000 });
    expect(samples.length).toBe(Math.round(info.durationSec * 16000));
    expect((await readAudio(first!.audioPath, { sampleRate: 8000 })).length).toBe(Math.ceil(samples.length / 2));

    const broken = { ...second!, audioPath: join(work, 'does-not-exist.flac') };
    const seen: string[] = [];
    const iterator = iterateAudio([first!, broken]);
    const step = await iterator.next();
    if (!step.done) seen.push(step.value.item.id);
    expect(seen).toEqual([first!.id]);
    // The bad file is only touched when its turn comes.
    await expect(iterator.next()).rejects.toMatchObject({ code: 'AUDIO_NOT_FOUND' });
  });

  it('probes WAV durations and reports a missing file', async () => {
    const path = join(work, 'probe.wav');
    writeFileSync(path, encodeWav([new Float32Array(22050), new Float32Array(22050)], 44100, { bitsPerSample: 24 }));
    expect(await probeAudio(path)).toEqual({ format: 'wav', channels: 2, sampleRate: 44100, durationSec: 0.5 });
    expect(await readAudio(path)).toHaveLength(8000);
    expect((await rejection(probeAudio(join(work, 'none.wav')))).message).toContain('none.wav');
  });
});
