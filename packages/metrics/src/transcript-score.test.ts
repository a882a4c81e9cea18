import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scoreSchemaName } from './json.js';
import { scoreCorpus } from './score.js';
import { scoreTranscriptFiles } from './transcript-files.js';
import { formatTranscriptScore, scoreTranscripts, transcriptScoreToJson } from './transcript-score.js';
import { useTempDirs } from '@asrq/test-temp';

const { tempDir } = useTempDirs();

const refs = new Map([
  ['u1', 'THE CAT SAT ON THE MAT'],
  ['u2', 'HELLO WORLD'],
]);
const hyps = new Map([
  ['u1', 'THE CAT SAT ON MAT'],
  ['u2', 'HELLO BIG WORLD'],
]);

describe('scoreTranscripts', () => {
  it('scores words with alignments and characters without', () => {
    const score = scoreTranscripts(refs, hyps);
    expect(score.words.total).toMatchObject({
      substitutions: 0,
      deletions: 1,
      insertions: 1,
      hits: 7,
      refCount: 8,
      errorRate: 25,
    });
    expect(score.words.utterances[0]!.alignment.length).toBeGreaterThan(0);
    expect(score.chars.unit).toBe('char');
    expect(score.chars.utterances[0]!.alignment).toEqual([]);
    expect(formatTranscriptScore(score)).toBe(
      `WER 25.00 % (S 0, D 1, I 1, hits 7, 8 reference words, 2 utterances)\nCER ${score.chars.total.errorRate.toFixed(2)} %`,
    );
  });

  it('normalises both sides with normalize', () => {
    const lower = new Map([['u1', "the cat's hat, really"]]);
    const upper = new Map([['u1', "THE CAT'S HAT REALLY"]]);
    expect(scoreTranscripts(lower, upper).words.total.errorRate).toBeGreaterThan(0);
    expect(scoreTranscripts(lower, upper, { normalize: true }).words.total.errorRate).toBe(0);
  });

  it('writes the scoreToJson shape plus charTotal and warnings', () => {
    const score = scoreTranscripts(new Map([...refs, ['u3', '']]), new Map([...hyps, ['u3', 'A B']]));
    const json = JSON.parse(JSON.stringify(transcriptScoreToJson(score))) as Record<string, any>;
    expect(json.schema).toBe(scoreSchemaName);
    expect(json.unit).toBe('word');
    expect(json.total).toMatchObject({ hits: 7, insertions: 3, refCount: 8 });
    expect(json.charTotal.errorRate).toBe(score.chars.total.errorRate);
    expect(json.utterances).toHaveLength(3);
    expect(json.warnings.map((w: { message: string }) => w.message).join('\n')).toContain('u3');
  });

  it('matches scoreCorpus on the paired utterances', () => {
    const pairs = [...refs].map(([id, ref]) => ({ id, ref, hyp: hyps.get(id)! }));
    expect(scoreTranscripts(refs, hyps).words.total).toEqual(scoreCorpus(pairs, { unit: 'word' }).total);
  });
});

describe('scoreTranscriptFiles', () => {
  it('reads .trn and "id TEXT" files and names an unreadable one', async () => {
    const dir = await tempDir('asrq-metrics-score-files-');
    await writeFile(join(dir, 'ref.trn'), 'THE CAT SAT ON THE MAT (u1)\nHELLO WORLD (u2)\n');
    await writeFile(join(dir, 'hyp.txt'), 'u1 THE CAT SAT ON MAT\nu2 HELLO BIG WORLD\n');
    const score = await scoreTranscriptFiles(join(dir, 'ref.trn'), join(dir, 'hyp.txt'));
    expect(score.words.total.errorRate).toBe(25);
    await expect(scoreTranscriptFiles(join(dir, 'missing.trn'), join(dir, 'hyp.txt'))).rejects.toMatchObject({
      code: 'METRICS_READ_FAILED',
      location: join(dir, 'missing.trn'),
    });
  });
});
