import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTranscriptFile, writeScoreReports } from './node.js';
import { librispeechNormalizer } from './normalize.js';
import { scoreCorpus } from './score.js';
import { pairUtterances, parseTranscripts } from './transcripts.js';

const dir = await mkdtemp(join(tmpdir(), 'asrq-metrics-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('node file helpers', () => {
  it('reads transcripts and writes every report atomically', async () => {
    await writeFile(join(dir, 'ref.txt'), '1272-1-0000 HELLO, WORLD\n1272-1-0001 GOOD MORNING\n');
    await writeFile(join(dir, 'hyp.txt'), 'hello word (1272-1-0000)\ngood morning (1272-1-0001)\n');
    const pairs = pairUtterances(
      await readTranscriptFile(join(dir, 'ref.txt')),
      await readTranscriptFile(join(dir, 'hyp.txt')),
    );
    const score = scoreCorpus(pairs, { transforms: librispeechNormalizer });
    const out = join(dir, 'out');
    const written = await writeScoreReports(out, score, { title: 'hyp' });
    expect(written.map((p) => p.slice(out.length + 1))).toEqual([
      'score.json',
      'score.md',
      'score.sum.txt',
      'ref.trn',
      'hyp.trn',
    ]);
    const json = JSON.parse(await readFile(join(out, 'score.json'), 'utf8'));
    expect(json.total).toMatchObject({ refCount: 4, substitutions: 1 });
    expect(json.transforms).toContain('upperCase');
    const hyp = parseTranscripts(await readFile(join(out, 'hyp.trn'), 'utf8'));
    expect(hyp.get('1272-1-0000')).toBe('HELLO WORD');
    expect(await readFile(join(out, 'score.sum.txt'), 'utf8')).toContain('REF:  HELLO WORLD \nHYP:  HELLO WORD  \n');
  });

  it('names the path when a file cannot be read', async () => {
    const missing = join(dir, 'missing.trn');
    await expect(readTranscriptFile(missing)).rejects.toMatchObject({ code: 'METRICS_READ_FAILED', location: missing });
  });

  it('refuses a Latin-1 transcript file with file:line instead of scoring words with U+FFFD in them', async () => {
    const latin1 = join(dir, 'latin1.trn');
    await writeFile(latin1, Buffer.from('CAFE (s1-u1)\nCAF\u00c9 (s1-u2)\n', 'latin1'));
    await expect(readTranscriptFile(latin1)).rejects.toMatchObject({
      code: 'METRICS_BAD_LINE',
      message: expect.stringContaining(`${latin1}:2: byte 0xC9 is not UTF-8`),
    });
  });
});
