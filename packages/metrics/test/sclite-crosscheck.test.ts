/**
 * Scores a few hundred generated pairs with the real NIST sclite and with this package.
 * Needs Debian's `sctk` package (`apt-get install sctk`, which provides `sctk sclite`) or a
 * `sclite` binary on PATH; skipped with a message naming it when neither is installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatAlignment, formatTrn, scoreCorpus, sumReport } from '../src/index.js';
import { randomPairs } from './random-pairs.js';
import { pralignBlocks } from './sclite-output.js';

function findSclite(): string[] | undefined {
  if (spawnSync('sclite', [], { stdio: 'ignore' }).error === undefined) return ['sclite'];
  if (spawnSync('sctk', ['help'], { stdio: 'ignore' }).error === undefined) return ['sctk', 'sclite'];
  return undefined;
}

const sclite = findSclite();
if (sclite === undefined)
  console.warn('sclite not found (install Debian package sctk): skipping the sclite cross-check.');

describe.skipIf(sclite === undefined)('cross-check against NIST sclite (needs sctk)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'asrq-metrics-sclite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const pairs = [
    ...randomPairs(400, 2024, { maxLength: 14 }),
    { id: 's1-weighted', ref: 'p q r s t', hyp: 's t u v w' },
    { id: 's2-emptyref', ref: '', hyp: 'a b' },
    { id: 's3-emptyhyp', ref: 'a b c', hyp: '' },
  ];
  writeFileSync(join(dir, 'ref.trn'), formatTrn(pairs.map((p) => [p.id, p.ref])));
  writeFileSync(join(dir, 'hyp.trn'), formatTrn(pairs.map((p) => [p.id, p.hyp])));
  const run = (report: string) =>
    execFileSync(
      sclite![0]!,
      [...sclite!.slice(1), '-r', 'ref.trn', 'trn', '-h', 'hyp.trn', 'trn', '-i', 'rm', '-s', '-o', report, 'stdout'],
      {
        cwd: dir,
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      },
    );
  const score = scoreCorpus(pairs);

  it('gives identical Corr/Sub/Del/Ins per utterance and in total, and identical alignments', () => {
    const blocks = pralignBlocks(run('pralign'));
    expect(blocks.size).toBe(pairs.length);
    const total = [0, 0, 0, 0];
    for (const block of blocks.values()) {
      const counts = /Scores: \(#C #S #D #I\) (\d+) (\d+) (\d+) (\d+)/.exec(block)!.slice(1).map(Number);
      counts.forEach((c, i) => (total[i]! += c));
    }
    const t = score.total;
    expect([t.hits, t.substitutions, t.deletions, t.insertions]).toEqual(total);
    for (const u of score.utterances) expect(formatAlignment(u)).toBe(blocks.get(u.id));
  });

  it('gives the same sum report', () => {
    expect(sumReport(score, { title: 'hyp.trn' })).toBe(run('sum'));
  });
});
