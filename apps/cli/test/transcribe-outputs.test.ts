import { cp, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { defaultCorpusDir } from '@asrq/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

let work: string;
let audioDir: string;
let flacs: string[];
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'asrq-cli-outputs-'));
  audioDir = join(work, 'audio');
  await mkdir(join(audioDir, 'sub'), { recursive: true });
  const found: string[] = [];
  for (const speaker of (await readdir(defaultCorpusDir)).sort()) {
    for (const chapter of (await readdir(join(defaultCorpusDir, speaker))).sort()) {
      const dir = join(defaultCorpusDir, speaker, chapter);
      for (const f of (await readdir(dir)).sort()) if (f.endsWith('.flac')) found.push(join(dir, f));
    }
  }
  const picked = found.slice(0, 2);
  flacs = picked.map((p) => basename(p));
  await cp(picked[0]!, join(audioDir, flacs[0]!));
  await cp(picked[1]!, join(audioDir, 'sub', flacs[1]!));
  await writeFile(join(audioDir, 'broken.flac'), 'this is not audio');
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('asrq transcribe outputs', () => {
  it('transcribes a directory into one subtitle file per input, reports the broken one and exits non-zero', async () => {
    const out = join(work, 'srt');
    const result = await runCli(['transcribe', audioDir, '--format', 'srt', '--out-dir', out]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('broken.flac');
    expect(result.stderr).toMatch(/1 of 3 inputs failed/);
    const first = await readFile(join(out, flacs[0]!.replace('.flac', '.srt')), 'utf8');
    expect(first).toMatch(/^1\n\d{2}:\d{2}:\d{2},\d{3} --> \d{2}:\d{2}:\d{2},\d{3}\n[A-Z' ]+\n/);
    expect(await readFile(join(out, 'sub', flacs[1]!.replace('.flac', '.srt')), 'utf8')).toMatch(/-->/);
  });

  it('prints n-best lists with scores in JSON, and CTM lines for a glob', async () => {
    const json = await runCli([
      'transcribe',
      join(audioDir, flacs[0]!),
      '--json',
      '--nbest',
      '4',
      '--hotword',
      'THE CAT',
      '--hotword',
      'the dog',
    ]);
    expect(json.code).toBe(0);
    expect(json.stderr).toContain('Write it as "THE DOG"');
    const line = JSON.parse(json.stdout) as {
      text: string;
      nbest: { text: string; score: number }[];
      words: { startSec: number; endSec: number }[];
      audioSec: number;
    };
    // Times to the millisecond, without float noise such as 1.1400000000000001.
    const times = [...line.words.flatMap((w) => [w.startSec, w.endSec]), line.audioSec];
    expect(times.length).toBeGreaterThan(2);
    for (const t of times) expect(String(t)).toMatch(/^\d+(\.\d{1,3})?$/);
    expect(line.nbest.length).toBeGreaterThan(1);
    expect(line.nbest[0]!.text).toBe(line.text);
    expect(new Set(line.nbest.map((h) => h.text)).size).toBe(line.nbest.length);
    for (let i = 1; i < line.nbest.length; i++)
      expect(line.nbest[i]!.score).toBeLessThanOrEqual(line.nbest[i - 1]!.score);
    const ctm = await runCli(['transcribe', join(audioDir, '**', '*.flac'), '--format', 'ctm']);
    expect(ctm.code).toBe(3); // broken.flac matches the glob too
    const rows = ctm.stdout.trim().split('\n');
    expect(rows.length).toBeGreaterThan(3);
    for (const row of rows) expect(row).toMatch(/^\S+ A \d+\.\d{2} \d+\.\d{2} \S+$/);
  });

  it('compiles an LM that transcribe loads like the ARPA file, with the same result', async () => {
    const text = ['THE CAT SAT ON THE MAT', 'THE DOG SAT ON THE LOG', 'A CAT AND A DOG'].join('\n');
    await writeFile(join(work, 'lm.txt'), `${text}\n`);
    expect(
      (await runCli(['lm', 'build', '--text', join(work, 'lm.txt'), '-o', join(work, 'lm.arpa'), '--quiet'])).code,
    ).toBe(0);
    const compiled = await runCli(['lm', 'compile', join(work, 'lm.arpa'), '-o', join(work, 'lm.asrqlm')]);
    expect(compiled.code).toBe(0);
    // The size as written (a few kB here), not rounded to "0.0 MB".
    const bytes = (await stat(join(work, 'lm.asrqlm'))).size;
    expect(bytes).toBeLessThan(1e6);
    expect(compiled.stderr).toContain(`; ${(bytes / 1e3).toFixed(1)} kB written in `);
    const input = join(audioDir, flacs[0]!);
    const viaArpa = await runCli(['transcribe', input, '--lm', join(work, 'lm.arpa')]);
    const viaCompiled = await runCli(['transcribe', input, '--lm', join(work, 'lm.asrqlm')]);
    expect(viaCompiled.code).toBe(0);
    expect(viaCompiled.stdout).toBe(viaArpa.stdout);
    const ppl = await runCli(['lm', 'ppl', '--lm', join(work, 'lm.asrqlm'), '--text', join(work, 'lm.txt'), '--json']);
    expect(JSON.parse(ppl.stdout)).toMatchObject({ sentences: 3 });
  });

  it('tunes alpha and beta on a dev set in worker threads and hands them to transcribe with --lm-params', async () => {
    const lm = join(work, 'lm.arpa');
    const out = join(work, 'tune');
    const tuned = await runCli([
      'lm',
      'tune',
      '--lm',
      lm,
      '--n',
      '4',
      '--steps',
      '2',
      '--refinements',
      '1',
      '--beam',
      '4',
      '--workers',
      '2',
      '--out',
      out,
      '--json',
    ]);
    expect(tuned.code).toBe(0);
    const best = JSON.parse(tuned.stdout) as {
      alpha: number;
      beta: number;
      wer: number;
      defaultWer: number;
      points: number;
    };
    expect(best.wer).toBeLessThanOrEqual(best.defaultWer);
    const surface = JSON.parse(await readFile(join(out, 'surface.json'), 'utf8')) as {
      points: { alpha: number; beta: number; wer: number }[];
    };
    expect(surface.points.length).toBe(best.points);
    expect(Math.min(...surface.points.map((p) => p.wer))).toBe(best.wer);
    expect(await readFile(join(out, 'surface.html'), 'utf8')).toContain('<table>');
    const input = join(audioDir, flacs[0]!);
    const viaParams = await runCli(['transcribe', input, '--lm', lm, '--lm-params', join(out, 'best.json')]);
    const viaFlags = await runCli([
      'transcribe',
      input,
      '--lm',
      lm,
      '--alpha',
      String(best.alpha),
      '--beta',
      String(best.beta),
    ]);
    expect(viaParams.code).toBe(0);
    expect(viaParams.stdout).toBe(viaFlags.stdout);
  });
});
