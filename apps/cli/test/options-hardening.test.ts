import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultCorpusDir } from '@asrq/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'asrq-cli-options-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

const stackTrace = /\n\s+at /;

async function writePlan(name: string, plan: unknown): Promise<string> {
  const path = join(work, name);
  await writeFile(path, typeof plan === 'string' ? plan : JSON.stringify(plan, null, 2));
  return path;
}

describe('asrq quantize: options are not silently ignored', () => {
  it('lets an explicit --calib-n win over the plan file, and says so in --help', async () => {
    const plan = await writePlan('calib-n.json', {
      version: 1,
      rules: [{ select: 'encoder.ctc_lin', mode: 'dynamic' }],
      calibration: { n: 10, seed: 3 },
    });
    const out = join(work, 'calib-n.onnx');
    const result = await runCli(['quantize', '--plan', plan, '--calib', defaultCorpusDir, '--calib-n', '2', '-o', out]);
    expect(result.stderr).not.toMatch(stackTrace);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`calibration: 2 utterances (seed 3) from ${defaultCorpusDir}`);
    const help = await runCli(['quantize', '--help']);
    expect(help.stdout.replace(/\s+/g, ' ')).toMatch(/--calib-n <count>.*wins over the plan file's calibration\.n/);
  });

  it('rejects a misspelled op with a suggestion (exit 2)', async () => {
    const plan = await writePlan('typo.json', {
      version: 1,
      rules: [{ select: '', mode: 'dynamic', ops: ['MatMull'] }],
    });
    const result = await runCli(['quantize', '--plan', plan, '-o', join(work, 'typo.onnx')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${plan}.rules[0].ops[0]: unknown op type "MatMull" (did you mean MatMul?)`);
    expect(existsSync(join(work, 'typo.onnx'))).toBe(false);
  });

  it('refuses a plan that quantizes nothing (exit 4, nothing written) unless --allow-empty', async () => {
    const plan = await writePlan('nothing.json', {
      version: 1,
      rules: [{ select: 'encoder.ctc_lin', mode: 'dynamic', ops: ['Conv'] }],
    });
    const out = join(work, 'nothing.onnx');
    const refused = await runCli(['quantize', '--plan', plan, '-o', out]);
    expect(refused.stderr).not.toMatch(stackTrace);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/The plan quantizes no node of .*model\.onnx .*nothing was written.*--allow-empty/);
    expect(existsSync(out)).toBe(false);
    const allowed = await runCli(['quantize', '--plan', plan, '-o', out, '--allow-empty', '--quiet']);
    expect(allowed.code).toBe(0);
    expect(existsSync(out)).toBe(true);
  });

  it('reports a JSON syntax error in a .json plan as JSON, with line and column', async () => {
    const plan = await writePlan('broken.json', '{\n  "version": 1,\n  "rules": [],\n}\n');
    const result = await runCli(['quantize', '--plan', plan, '-o', join(work, 'broken.onnx')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${plan}:4:1: not valid JSON`);
    expect(result.stderr).not.toMatch(/YAML/);
  });
});

describe('fixed values are commander choices (exit 2, the allowed values named)', () => {
  it.each([
    [
      ['quantize', '--calibrator', 'median', '--dynamic', '', '-o', 'x.onnx'],
      /--calibrator <kind>.*'median' is invalid\. Allowed choices are minmax, percentile, entropy\./,
    ],
    [
      ['sensitivity', '--dynamic-format', 'QLinearMatMul', '--dynamic', ''],
      /--dynamic-format <op>.*Allowed choices are DynamicQuantizeMatMul, MatMulInteger\./,
    ],
    [
      ['quantize', '--auto', '--metric', 'cer', '-o', 'x.onnx'],
      /--metric <kind>.*'cer' is invalid\. Allowed choices are wer, sqnr\./,
    ],
    [['transcribe', 'a.flac', '--format', 'docx'], /--format <format>.*Allowed choices are txt, json, srt, vtt, ctm\./],
  ])('asrq %j', async (args, message) => {
    const result = await runCli(args.map(String));
    expect(result.code).toBe(2);
    expect(result.stderr.replace(/\s+/g, ' ')).toMatch(message);
    expect(result.stderr).not.toMatch(stackTrace);
  });

  it('lists the choices in --help', async () => {
    const help = await runCli(['quantize', '--help']);
    expect(help.stdout.replace(/\s+/g, ' ')).toMatch(
      /--calibrator <kind> static range calibrator \(choices: "minmax", "percentile", "entropy"\)/,
    );
  });
});

describe('asrq lm, score: small cases', () => {
  it('lm build -o <existing directory> is a usage error, not a stack trace', async () => {
    const text = join(work, 'lm.txt');
    await writeFile(text, 'THE CAT SAT\nTHE DOG SAT\n');
    const dir = join(work, 'lm-dir');
    await mkdir(dir, { recursive: true });
    const result = await runCli(['lm', 'build', '--text', text, '-o', dir, '--quiet']);
    expect(result.stderr).not.toMatch(stackTrace);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`-o ${dir} is a directory`);
  });

  it('lm ppl warns on OOV-only or blank text and prints no perplexity number', async () => {
    const text = join(work, 'lm2.txt');
    await writeFile(text, 'THE CAT SAT\nTHE DOG SAT\n');
    const arpa = join(work, 'lm2.arpa');
    expect((await runCli(['lm', 'build', '--text', text, '-o', arpa, '--quiet'])).code).toBe(0);
    const oov = join(work, 'oov.txt');
    await writeFile(oov, 'ZEBRA QUIXOTIC\n');
    const result = await runCli(['lm', 'ppl', '--lm', arpa, '--text', oov]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/warning: every word of .*oov\.txt is out of the LM's vocabulary \(2 OOVs\)/);
    expect(result.stdout).toMatch(/^perplexity n\/a over 1 sentences, 2 words, 2 OOVs/);
    const json = await runCli(['lm', 'ppl', '--lm', arpa, '--text', oov, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ perplexity: null, oovs: 2 });
    const blank = join(work, 'blank.txt');
    await writeFile(blank, '\n  \n');
    const empty = await runCli(['lm', 'ppl', '--lm', arpa, '--text', blank]);
    expect(empty.stderr).toMatch(/warning: .*blank\.txt has no non-blank line/);
    expect(empty.stdout).not.toMatch(/NaN/);
  });

  it('score warns about an empty reference instead of a silent 1700 %', async () => {
    const ref = join(work, 'empty-ref.trn');
    const hyp = join(work, 'empty-hyp.trn');
    await writeFile(ref, 'HELLO (s1-u1)\n(s1-u2)\n');
    await writeFile(hyp, 'HELLO (s1-u1)\nA B C (s1-u2)\n');
    const result = await runCli(['score', '--ref', ref, '--hyp', hyp]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'warning: s1-u2: the reference is empty, so its 3 hypothesis word(s) count as insertions',
    );
    expect(result.stderr).toContain('warning: 1 of 2 utterance(s) have an empty reference');
  });

  it('score names file and line of a malformed first .trn line', async () => {
    const ref = join(work, 'bad.trn');
    await writeFile(ref, 'HELLO WORLD (s1-u1\nAGAIN (s1-u2)\n');
    const result = await runCli(['score', '--ref', ref, '--hyp', ref]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${ref}:1: expected a .trn line in the form "TEXT (utt-id)"`);
  });
});

describe('very short audio', () => {
  it('names the file of a 0-sample WAV (AUDIO_EMPTY), without a stack trace', async () => {
    const empty = fileURLToPath(new URL('./fixtures/short/0-samples.wav', import.meta.url));
    const result = await runCli(['transcribe', empty]);
    expect(result.stderr).not.toMatch(stackTrace);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${empty}: the file has no audio`);
  });
});
