import { copyFile, cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCorpusDir, defaultPlanPath } from '@asrq/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusSubset } from './corpus-subset.js';
import { runCli } from './run-cli.js';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'asrq-cli-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

/** Copies the first `count` utterances of the bundled corpus into a new LibriSpeech-layout directory. */
async function smallCorpus(dir: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (const speaker of (await readdir(defaultCorpusDir)).sort()) {
    for (const chapter of await readdir(join(defaultCorpusDir, speaker))) {
      if (ids.length >= count) return ids;
      const from = join(defaultCorpusDir, speaker, chapter);
      await mkdir(join(dir, speaker), { recursive: true });
      await cp(from, join(dir, speaker, chapter), { recursive: true });
      const flac = (await readdir(from)).find((f) => f.endsWith('.flac'))!;
      ids.push(flac.replace('.flac', ''));
    }
  }
  return ids;
}

describe('asrq CLI basics', () => {
  it('lists its commands in --help', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['bench', 'transcribe', 'score', 'lm', 'data', 'inspect'])
      expect(result.stdout).toContain(command);
  });

  it('exits 2 with a message on an unknown flag or a bad value', async () => {
    const unknown = await runCli(['bench', '--frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--frobnicate'/);
    const bad = await runCli(['bench', '--n', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/expected a whole number from 1 to 1000000, got "many"/);
  });

  it('exits 3 without a stack trace when a file is missing', async () => {
    const result = await runCli([
      'bench',
      '--data',
      join(work, 'no-such-corpus'),
      '--n',
      '2',
      '--out',
      join(work, 'missing'),
    ]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/no-such-corpus/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('asrq bench', () => {
  it('a model that does not load is the only thing said about it; the short-corpus note comes after loading', async () => {
    const missing = await runCli(['bench', '--model', join(work, 'nope.onnx'), '--out', join(work, 'bench-nope')]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).not.toContain('utterances asked for');
    expect(missing.stderr).toContain(`${join(work, 'nope.onnx')} does not exist`);
    const { corpus } = await corpusSubset(join(work, 'bench-short-corpus'), 1);
    const short = await runCli([
      'bench',
      '--data',
      corpus,
      '--n',
      '50',
      '--warmup',
      '0',
      '--repeats',
      '1',
      '--out',
      join(work, 'bench-short'),
    ]);
    expect(short.code).toBe(0);
    const loading = short.stderr.indexOf('loading ');
    const note = short.stderr.indexOf('note: 50 utterances asked for');
    expect(loading).toBeGreaterThanOrEqual(0);
    expect(note).toBeGreaterThan(loading);
  });

  it('runs on the bundled defaults and prints the JSON summary', async () => {
    const out = join(work, 'bench-defaults');
    const result = await runCli(['bench', '--n', '4', '--warmup', '1', '--repeats', '2', '--json', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as {
      utterances: number;
      models: Array<{
        wer: number;
        cer: number;
        rtfEncoder: number;
        rtfEndToEnd: number;
        speedup: number;
        sizeBytes: number;
      }>;
    };
    expect(summary.utterances).toBe(4);
    expect(summary.models).toHaveLength(1);
    const [model] = summary.models;
    expect(model!.wer).toBeGreaterThanOrEqual(0);
    expect(model!.rtfEncoder).toBeGreaterThan(0);
    expect(model!.rtfEndToEnd).toBeGreaterThan(model!.rtfEncoder);
    expect(model!.speedup).toBe(1);
    expect(model!.sizeBytes).toBeGreaterThan(1e6);
    const files = await readdir(out);
    for (const f of ['report.json', 'report.md', 'report.html', 'ref.trn', 'results.jsonl']) expect(files).toContain(f);
  });

  it('resumes a killed run and ends with the same transcripts as an uninterrupted one', async () => {
    const args = ['bench', '--n', '14', '--warmup', '0', '--repeats', '1', '--json'];
    const killedOut = join(work, 'killed');
    const journal = join(killedOut, 'results.jsonl');
    const killed = await runCli([...args, '--out', killedOut], {
      onSpawn: (child) => {
        const poll = setInterval(async () => {
          const text = await readFile(journal, 'utf8').catch(() => '');
          if (text.split('\n').filter((l) => l.includes('"kind":"utterance"')).length >= 3) {
            clearInterval(poll);
            child.kill('SIGKILL');
          }
        }, 20);
        child.on('close', () => clearInterval(poll));
      },
    });
    expect(killed.signal).toBe('SIGKILL');
    const before = (await readFile(journal, 'utf8')).split('\n').filter((l) => l.includes('"kind":"utterance"')).length;
    expect(before).toBeGreaterThanOrEqual(3);
    expect(before).toBeLessThan(14);

    const resumed = await runCli([...args, '--out', killedOut, '--resume']);
    expect(resumed.code).toBe(0);
    const lines = (await readFile(journal, 'utf8')).split('\n').filter((l) => l.includes('"kind":"utterance"'));
    const ids = lines.map((l) => (JSON.parse(l) as { id: string }).id);
    expect(new Set(ids).size).toBe(14);
    expect(ids).toHaveLength(14);

    const fresh = await runCli([...args, '--out', join(work, 'fresh')]);
    const a = JSON.parse(resumed.stdout) as { utterances: number; models: Array<{ wer: number; cer: number }> };
    const b = JSON.parse(fresh.stdout) as typeof a;
    expect(a.utterances).toBe(14);
    expect(a.models[0]!.wer).toBe(b.models[0]!.wer);
    expect(a.models[0]!.cer).toBe(b.models[0]!.cer);
    expect(await readFile(join(killedOut, 'hyp-0-model.onnx.trn'), 'utf8')).toBe(
      await readFile(join(work, 'fresh', 'hyp-0-model.onnx.trn'), 'utf8'),
    );
  });

  it('refuses to overwrite a previous run unless told to, and never before checking the inputs', async () => {
    const out = join(work, 'bench-defaults');
    const before = await readFile(join(out, 'results.jsonl'), 'utf8');
    const typo = await runCli([
      'bench',
      '--model',
      join(work, 'no-such-model.onnx'),
      '--n',
      '2',
      '--out',
      out,
      '--force',
    ]);
    expect(typo.code).toBe(4);
    expect(await readFile(join(out, 'results.jsonl'), 'utf8')).toBe(before);
    const again = await runCli(['bench', '--n', '2', '--warmup', '0', '--repeats', '1', '--quiet', '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds a run .* --resume .* --force/);
    const forced = await runCli([
      'bench',
      '--n',
      '2',
      '--warmup',
      '0',
      '--repeats',
      '1',
      '--quiet',
      '--out',
      out,
      '--force',
    ]);
    expect(forced.code).toBe(0);
    // A journal broken in the middle cannot be resumed, but --force still starts over.
    const lines = (await readFile(join(out, 'results.jsonl'), 'utf8')).split('\n');
    lines[1] = '{"kind":"utterance", broken';
    await writeFile(join(out, 'results.jsonl'), lines.join('\n'));
    const broken = await runCli([
      'bench',
      '--n',
      '2',
      '--warmup',
      '0',
      '--repeats',
      '1',
      '--quiet',
      '--out',
      out,
      '--resume',
    ]);
    expect(broken.code).toBe(3);
    expect(broken.stderr).toMatch(/results\.jsonl:2 is not valid JSON/);
    expect(
      (await runCli(['bench', '--n', '2', '--warmup', '0', '--repeats', '1', '--quiet', '--out', out, '--force'])).code,
    ).toBe(0);
  });

  it('says when the corpus has fewer utterances than asked for', async () => {
    const result = await runCli([
      'bench',
      '--n',
      '100',
      '--warmup',
      '5',
      '--repeats',
      '1',
      '--json',
      '--out',
      join(work, 'short'),
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ utterances: 35, requested: 100 });
  });

  it('refuses to resume with different settings', async () => {
    const out = join(work, 'mismatch');
    expect((await runCli(['bench', '--n', '2', '--warmup', '0', '--repeats', '1', '--quiet', '--out', out])).code).toBe(
      0,
    );
    const result = await runCli([
      'bench',
      '--n',
      '3',
      '--warmup',
      '0',
      '--repeats',
      '1',
      '--quiet',
      '--out',
      out,
      '--resume',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/different settings \(n: 2 then, 3 now\)/);
  });

  it('stops on a corrupt file, and skips and counts it in lenient mode', async () => {
    const corpus = join(work, 'corrupt-corpus');
    const ids = await smallCorpus(corpus, 4);
    const [speaker, chapter] = ids[1]!.split('-');
    const broken = join(corpus, speaker!, chapter!, `${ids[1]}.flac`);
    const bytes = await readFile(broken);
    for (let i = 200; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff;
    await writeFile(broken, bytes);

    const strict = await runCli([
      'bench',
      '--data',
      corpus,
      '--n',
      '4',
      '--warmup',
      '0',
      '--repeats',
      '1',
      '--quiet',
      '--out',
      join(work, 'strict'),
    ]);
    expect(strict.code).toBe(3);
    expect(strict.stderr).toContain(`${ids[1]}.flac`);
    expect(strict.stderr).toMatch(/--lenient|corrupt|decode/i);

    const lenient = await runCli([
      'bench',
      '--data',
      corpus,
      '--n',
      '4',
      '--warmup',
      '0',
      '--repeats',
      '1',
      '--lenient',
      '--json',
      '--out',
      join(work, 'lenient'),
    ]);
    expect(lenient.code).toBe(0);
    const summary = JSON.parse(lenient.stdout) as { utterances: number; skipped: number };
    expect(summary).toMatchObject({ utterances: 3, skipped: 1 });
    const report = JSON.parse(await readFile(join(work, 'lenient', 'report.json'), 'utf8')) as {
      skipped: Array<{ id: string }>;
    };
    expect(report.skipped.map((s) => s.id)).toEqual([ids[1]]);
  });
});

describe('asrq demo, inspect, quantize, compare', () => {
  it('runs the whole job on the bundled defaults', async () => {
    const out = join(work, 'demo');
    const result = await runCli(['demo', '--out', out, '--n', '4', '--warmup', '1', '--repeats', '1'], {
      env: { ASRQ_COMMAND: 'pnpm asrq' },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/model\.int8\.onnx \|\s+[0-9.]+ MB \|/);
    // What a newcomer needs to read the table, and commands that run where they stand.
    expect(result.stdout).toMatch(/a WER around 75 % is expected/);
    expect(result.stdout).toMatch(/"Harness overhead" is the\s+share of the benchmark loop/);
    expect(result.stdout).toMatch(
      /^Next: .* with pnpm asrq inspect \/ pnpm asrq quantize \/ pnpm asrq bench \(pnpm asrq --help\)\.$/m,
    );
    // The plan is named by a path that exists wherever asrq is installed (not examples/plans/best.json).
    expect(result.stderr).toContain(`quantizing with the best known plan (${defaultPlanPath})`);
    expect(result.stderr).not.toContain('examples/plans/best.json');
    expect(result.stderr).toMatch(/output SQNR vs float: log_probs [0-9.]+ dB/);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as {
      models: Array<{ sizeBytes: number }>;
    };
    expect(report.models[1]!.sizeBytes).toBeLessThan(report.models[0]!.sizeBytes / 2);
  });

  it('prints the module tree the selectors refer to', async () => {
    const result = await runCli(['inspect', '--depth', '4']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/feature_extractor/);
    expect(result.stdout).toMatch(/audio_lengths/);
  });

  it('quantizes with the seed plan flags and refuses to overwrite its input', async () => {
    const out = join(work, 'seed.int8.onnx');
    const result = await runCli([
      'quantize',
      '-o',
      out,
      '--dynamic',
      'encoder.wav2vec2.model.encoder.layers',
      '--dynamic',
      'encoder.enc',
      '--static',
      'encoder.wav2vec2.model.feature_extractor',
      '--static',
      'encoder.wav2vec2.model.feature_projection',
      '--exclude',
      'encoder.ctc_lin',
      '--calib',
      defaultCorpusDir,
      '--calib-n',
      '3',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      bytesAfter: number;
      bytesBefore: number;
      sqnr: Record<string, number>;
    };
    expect(report.bytesAfter).toBeLessThan(report.bytesBefore);
    expect(report.sqnr.log_probs).toBeGreaterThan(0);
    const speaker = (await readdir(defaultCorpusDir)).sort()[0]!;
    const chapter = (await readdir(join(defaultCorpusDir, speaker)))[0]!;
    const flac = (await readdir(join(defaultCorpusDir, speaker, chapter))).find((f) => f.endsWith('.flac'))!;
    const transcribed = await runCli(['transcribe', '--model', out, join(defaultCorpusDir, speaker, chapter, flac)]);
    expect(transcribed.code).toBe(0);
    expect(transcribed.stdout.trim()).toMatch(/^[A-Z' ]+$/);
    const overwrite = await runCli(['quantize', out, '-o', out, '--dynamic', 'encoder']);
    expect(overwrite.code).not.toBe(0);
    expect(overwrite.stderr).toMatch(/overwrite|same file|input/i);
    const noCalib = await runCli(['quantize', '-o', join(work, 'x.onnx'), '--static', 'encoder.enc']);
    expect(noCalib.code).toBe(2);
    expect(noCalib.stderr).toMatch(/--calib/);
    const noMatch = await runCli(['quantize', '-o', join(work, 'y.onnx'), '--dynamic', 'encoder.no_such_module']);
    expect(noMatch.code).toBe(4);
    expect(noMatch.stderr).toMatch(/no_such_module/);
  });

  it('finds a plan with --auto and writes a plan file that plain quantize reproduces', async () => {
    const out = join(work, 'auto', 'model.auto.onnx');
    const result = await runCli([
      'quantize',
      '-o',
      out,
      '--auto',
      '--calib',
      defaultCorpusDir,
      '--calib-n',
      '3',
      '--eval',
      defaultCorpusDir,
      '--eval-n',
      '4',
      '--max-wer-increase',
      '100',
      '--max-trials',
      '1',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as {
      plan: string;
      best: { accepted: boolean; speedup: number };
      trials: number;
    };
    expect(summary.best.accepted).toBe(true);
    expect(summary.best.speedup).toBeGreaterThan(0);
    const plan = JSON.parse(await readFile(summary.plan, 'utf8')) as { version: number; rules: unknown[] };
    expect(plan.version).toBe(1);
    expect(plan.rules.length).toBeGreaterThan(0);
    const replay = await runCli([
      'quantize',
      '-o',
      join(work, 'auto', 'replay.onnx'),
      '--plan',
      summary.plan,
      '--calib',
      defaultCorpusDir,
      '--json',
    ]);
    expect(replay.code).toBe(0);
    expect((await readdir(join(work, 'auto', 'model.auto.onnx.auto'))).sort()).toEqual(
      expect.arrayContaining(['auto-plan.html', 'auto-plan.json', 'auto-plan.md']),
    );
    const conflict = await runCli(['quantize', '-o', out, '--auto', '--dynamic', 'encoder']);
    expect(conflict.code).toBe(2);
  });

  it('refuses a model with unexpected inputs with a clear message', async () => {
    const { encodeModel, DataType } = await import('@asrq/onnx');
    const proto = {
      ir_version: 8,
      opset_import: [{ domain: '', version: 17 }],
      graph: {
        name: 'image-classifier',
        node: [{ op_type: 'Identity', input: ['pixels'], output: ['scores'], name: 'id' }],
        input: [
          {
            name: 'pixels',
            type: {
              tensor_type: {
                elem_type: DataType.FLOAT,
                shape: { dim: [{ dim_value: 1 }, { dim_value: 3 }, { dim_value: 8 }, { dim_value: 8 }] },
              },
            },
          },
        ],
        output: [
          {
            name: 'scores',
            type: {
              tensor_type: {
                elem_type: DataType.FLOAT,
                shape: { dim: [{ dim_value: 1 }, { dim_value: 3 }, { dim_value: 8 }, { dim_value: 8 }] },
              },
            },
          },
        ],
      },
    };
    const path = join(work, 'classifier.onnx');
    await writeFile(path, encodeModel({ proto: proto as never, name: path }));
    const result = await runCli([
      'bench',
      '--model',
      path,
      '--n',
      '2',
      '--warmup',
      '0',
      '--out',
      join(work, 'classifier-bench'),
    ]);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/classifier\.onnx: no float32 input of shape \[batch, samples\]/);
    expect(result.stderr).toMatch(/pixels float32 \[1, 3, 8, 8\]/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('takes tensor names from flags when discovery would pick the wrong output', async () => {
    const { readModel, writeModel } = await import('@asrq/onnx');
    const { defaultModelPath } = await import('@asrq/fixtures');
    const model = await readModel(defaultModelPath);
    const graph = model.proto.graph!;
    const scores = graph.output!.find((v) => v.name === 'log_probs')!;
    // An export whose first [batch, frames, vocab] output is not the CTC scores.
    graph.node!.push(
      { op_type: 'Exp', input: ['log_probs'], output: ['probe'], name: 'probe/Exp' },
      { op_type: 'Identity', input: ['log_probs'], output: ['ctc_out'], name: 'ctc/Identity' },
    );
    graph.output = [
      { ...scores, name: 'probe' },
      { ...scores, name: 'ctc_out' },
      ...graph.output!.filter((v) => v.name !== 'log_probs'),
    ];
    const dir = join(work, 'renamed');
    await mkdir(dir, { recursive: true });
    const path = join(dir, 'renamed.onnx');
    await writeModel(model, path);
    const speaker = (await readdir(defaultCorpusDir)).sort()[0]!;
    const chapter = (await readdir(join(defaultCorpusDir, speaker)))[0]!;
    const flac = join(
      defaultCorpusDir,
      speaker,
      chapter,
      (await readdir(join(defaultCorpusDir, speaker, chapter))).find((f) => f.endsWith('.flac'))!,
    );
    const reference = await runCli(['transcribe', flac]);
    const { defaultTokenizerPath } = await import('@asrq/fixtures');
    const named = await runCli([
      'transcribe',
      flac,
      '--model',
      path,
      '--tokenizer',
      defaultTokenizerPath,
      '--scores-output',
      'ctc_out',
    ]);
    expect(named.code).toBe(0);
    expect(named.stdout).toBe(reference.stdout);
    const missing = await runCli([
      'transcribe',
      flac,
      '--model',
      path,
      '--tokenizer',
      defaultTokenizerPath,
      '--scores-output',
      'nope',
    ]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/no output named "nope"/);
  });

  it('merges bench reports into one table, each row naming its report', async () => {
    const a = join(work, 'bench-defaults', 'report.json');
    const b = join(work, 'bench-defaults-copy.json');
    await copyFile(a, b);
    const result = await runCli(['compare', a, b, '--json']);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as Array<{ speedup: number; report: string }>;
    expect(rows).toHaveLength(2);
    expect(rows[1]!.speedup).toBeCloseTo(1, 10);
    expect(rows.map((r) => r.report)).toEqual([a, b]);
    const table = await runCli(['compare', a, b]);
    expect(table.stdout).toContain(`model.onnx (${a})`);
    expect(table.stdout).toContain(`model.onnx (${b})`);
  });
});

describe('asrq score, transcribe, lm', () => {
  it("prints a library error's argument as the flag that sets it", async () => {
    const dir = join(work, 'no-tokenizer');
    await mkdir(dir, { recursive: true });
    await copyFile(join(defaultCorpusDir, '..', '..', 'model', 'model.onnx'), join(dir, 'model.onnx'));
    const speaker = (await readdir(defaultCorpusDir)).sort()[0]!;
    const chapter = (await readdir(join(defaultCorpusDir, speaker))).sort()[0]!;
    const flac = (await readdir(join(defaultCorpusDir, speaker, chapter))).find((f) => f.endsWith('.flac'))!;
    const result = await runCli([
      'transcribe',
      '--model',
      join(dir, 'model.onnx'),
      join(defaultCorpusDir, speaker, chapter, flac),
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/No tokenizer found for .*Pass its path \(--tokenizer: a tokenizer\.model/);
    expect(result.stderr).not.toContain('`tokenizer`');
  });

  it('scores trn files and prints the JSON the docs promise', async () => {
    await writeFile(join(work, 'ref.trn'), 'THE CAT SAT ON THE MAT (u1)\nHELLO WORLD (u2)\n');
    await writeFile(join(work, 'hyp.txt'), 'u1 THE CAT SAT ON MAT\nu2 HELLO BIG WORLD\n');
    const result = await runCli(['score', '--ref', join(work, 'ref.trn'), '--hyp', join(work, 'hyp.txt'), '--json']);
    expect(result.code).toBe(0);
    // @asrq/metrics' score JSON (scoreToJson's schema) plus the character-level totals and the warnings.
    const json = JSON.parse(result.stdout) as {
      schema: string;
      unit: string;
      total: object;
      charTotal: { errorRate: number };
      sentences: number;
      warnings: unknown[];
    };
    expect(json).toMatchObject({ schema: 'asrq.metrics.score', unit: 'word', sentences: 2, warnings: [] });
    expect(json.total).toMatchObject({
      substitutions: 0,
      deletions: 1,
      insertions: 1,
      hits: 7,
      refCount: 8,
      errorRate: 25,
    });
    expect(json.charTotal.errorRate).toBeGreaterThan(0);
  });

  it('names the mismatched ids when ref and hyp do not pair up', async () => {
    await writeFile(join(work, 'hyp-short.trn'), 'THE CAT (u1)\n');
    const result = await runCli(['score', '--ref', join(work, 'ref.trn'), '--hyp', join(work, 'hyp-short.trn')]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('u2');
  });

  it('transcribes a bundled FLAC file', async () => {
    const speaker = (await readdir(defaultCorpusDir)).sort()[0]!;
    const chapter = (await readdir(join(defaultCorpusDir, speaker)))[0]!;
    const flac = (await readdir(join(defaultCorpusDir, speaker, chapter))).find((f) => f.endsWith('.flac'))!;
    const result = await runCli(['transcribe', join(defaultCorpusDir, speaker, chapter, flac), '--json']);
    expect(result.code).toBe(0);
    const line = JSON.parse(result.stdout) as { text: string; audioSec: number };
    expect(line.text.length).toBeGreaterThan(0);
    expect(line.text).toMatch(/^[A-Z' ]+$/);
    expect(line.audioSec).toBeGreaterThan(0.5);
  });

  it('builds an LM and measures perplexity', async () => {
    const text = ['THE CAT SAT ON THE MAT', 'THE DOG SAT ON THE LOG', 'A CAT AND A DOG', 'THE CAT SAW THE DOG'].join(
      '\n',
    );
    await writeFile(join(work, 'lm.txt'), `${text}\n`);
    const built = await runCli([
      'lm',
      'build',
      '--text',
      join(work, 'lm.txt'),
      '--order',
      '3',
      '-o',
      join(work, 'lm.arpa'),
      '--quiet',
    ]);
    expect(built.code).toBe(0);
    expect(await readFile(join(work, 'lm.arpa'), 'utf8')).toMatch(/^\\data\\/m);
    const ppl = await runCli(['lm', 'ppl', '--lm', join(work, 'lm.arpa'), '--text', join(work, 'lm.txt'), '--json']);
    expect(ppl.code).toBe(0);
    const result = JSON.parse(ppl.stdout) as { perplexity: number; words: number; sentences: number; oovs: number };
    expect(result).toMatchObject({ sentences: 4, words: 22, oovs: 0 });
    expect(result.perplexity).toBeGreaterThan(1);
    expect(result.perplexity).toBeLessThan(20);
  });
});
