import { execFileSync } from 'node:child_process';
import { copyFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '@asrq/audio';
import { floatData, makeTensor, readModel, tensorDims, writeModel } from '@asrq/onnx';
import { defaultCorpusDir, defaultModelPath, defaultTokenizerPath } from '@asrq/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// The fault probe of issue 24, case by case: each run fails cleanly (a message naming the file
// or flag and what to do, exit 2 or 3), never overwrites data, and never ends in a stack trace.
let work: string;
let flac: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'asrq-reliability-'));
  const speaker = (await readdir(defaultCorpusDir)).sort()[0]!;
  const chapter = (await readdir(join(defaultCorpusDir, speaker))).sort()[0]!;
  const name = (await readdir(join(defaultCorpusDir, speaker, chapter))).find((f) => f.endsWith('.flac'))!;
  flac = join(defaultCorpusDir, speaker, chapter, name);
});
afterAll(() => rm(work, { recursive: true, force: true }));

const stackTrace = /\n\s+at /;

describe('no lost data', () => {
  it('transcribe --out-dir refuses two inputs with the same output name, before any work', async () => {
    await mkdir(join(work, 'a'), { recursive: true });
    await mkdir(join(work, 'b'), { recursive: true });
    await copyFile(flac, join(work, 'a', 'x.flac'));
    await copyFile(flac, join(work, 'b', 'x.flac'));
    const out = join(work, 'same-name-out');
    const result = await runCli(['transcribe', '--out-dir', out, join(work, 'a', 'x.flac'), join(work, 'b', 'x.flac')]);
    expect(result.stderr).not.toMatch(stackTrace);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`would both be written to ${join(out, 'x.txt')}`);
    await expect(readdir(out)).rejects.toThrow();
  });

  it('demo --out refuses a folder holding a file it would overwrite, unless --force', async () => {
    const out = join(work, 'demo-out');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'report.html'), 'my report');
    const result = await runCli(['demo', '--out', out, '--n', '1', '--warmup', '0', '--repeats', '1']);
    expect(result.stderr).not.toMatch(stackTrace);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${join(out, 'report.html')}, which the demo would overwrite. Pass --force`);
    expect(await readFile(join(out, 'report.html'), 'utf8')).toBe('my report');
  });

  it("quantize refuses an output folder holding another model's tokens.txt, before writing anything", async () => {
    const out = join(work, 'foreign-tokens');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'tokens.txt'), '<blk> 0\nA 1\n');
    const result = await runCli(['quantize', '--dynamic', '', '-o', join(out, 'q.onnx'), '--quiet']);
    expect(result.stderr).not.toMatch(stackTrace);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${join(out, 'tokens.txt')} is not from`);
    expect((await readdir(out)).sort()).toEqual(['tokens.txt']);
  });
});

describe('bench --lenient', () => {
  it('says what it skipped, also with --json: missing audio (a corpus problem) and an unreadable file', async () => {
    const corpus = join(work, 'lenient-corpus');
    await cp(defaultCorpusDir, corpus, { recursive: true });
    const flacs = (await readdir(corpus, { recursive: true })).filter((f) => f.endsWith('.flac')).sort();
    await rm(join(corpus, flacs[0]!));
    await writeFile(join(corpus, flacs[2]!), 'not a flac');
    const args = ['bench', '--data', corpus, '--n', '3', '--warmup', '0', '--repeats', '1', '--lenient'];
    const json = await runCli([...args, '--json', '--out', join(work, 'lenient-json')]);
    expect(json.code).toBe(0);
    expect(json.stderr).toContain(
      'warning: --lenient skipped 1 unreadable utterance(s) (listed in report.md) and 1 corpus entr(ies) with a problem',
    );
    const text = await runCli([...args, '--out', join(work, 'lenient-text')]);
    expect(text.stderr).toMatch(/skipped \(--lenient\): .*has no audio file/);
  });
});

describe('quantize --auto keeps its work folder to itself', () => {
  const auto = (out: string) =>
    runCli([
      'quantize',
      '--auto',
      '--calib',
      defaultCorpusDir,
      '--calib-n',
      '1',
      '--eval',
      defaultCorpusDir,
      '-o',
      out,
    ]);

  it('refuses a work folder another search holds (locked like bench --out)', async () => {
    const out = join(work, 'locked.onnx');
    await mkdir(`${out}.auto`, { recursive: true });
    const owner = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString(), token: 'test' };
    await writeFile(join(`${out}.auto`, 'search.lock'), `${JSON.stringify(owner)}\n`);
    const result = await auto(out);
    expect(result.stderr).not.toMatch(stackTrace);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`is in use by process ${process.pid}`);
  });

  it("refuses to throw away an interrupted search's journal without --resume or --force", async () => {
    const out = join(work, 'interrupted.onnx');
    await mkdir(`${out}.auto`, { recursive: true });
    const journal = join(`${out}.auto`, 'search.jsonl');
    const lines = [
      { kind: 'header', version: 1, settings: {} },
      { kind: 'trial', trial: { key: 'k', k: 0, summary: 's', sqnrDb: 30, accepted: false } },
    ];
    await writeFile(journal, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    const result = await auto(out);
    expect(result.stderr).not.toMatch(stackTrace);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`1 trial(s) in ${journal}`);
    expect(result.stderr).toContain('Pass --resume to continue it, --force to start over');
    expect((await readFile(journal, 'utf8')).split('\n')).toHaveLength(3);
  });
});

describe('silent cases refused', () => {
  it.each([
    [['bench', '--resume', '--force', '--n', '1'], /--resume continues the run in .* and --force starts it over/],
    [['quantize', '--auto', '--resume', '--force', '-o', 'x.onnx'], /--resume continues .* --force drops it/],
    [['quantize', '--dynamic', '', '--resume', '-o', 'x.onnx'], /--resume only applies to --auto/],
    [['quantize', '--dynamic', '', '--max-size', '200MB', '-o', 'x.onnx'], /--max-size only applies to --auto/],
    [['quantize', '--auto', '--max-size', '200XB', '-o', 'x.onnx'], /expected a size like 200MB, 1\.5GB or 190MiB/],
    [['quantize', '--auto', '--max-size', '0MB', '-o', 'x.onnx'], /at least 1 byte/],
    [['quantize', '--auto', '--metric', 'sqnr', '--min-sqnr', '1000', '-o', 'x.onnx'], /--min-sqnr .*from 0 to 150/],
  ])('asrq %j is a usage error', async (args, message) => {
    const result = await runCli(args, { cwd: work });
    expect(result.stderr).not.toMatch(stackTrace);
    expect(result.code).toBe(2);
    expect(result.stderr.replace(/\s+/g, ' ')).toMatch(message);
  });
});

/** The bundled corpus as manifest lines with lower-case transcripts. */
async function lowerCaseManifestLines(): Promise<string[]> {
  const lines: string[] = [];
  for (const speaker of (await readdir(defaultCorpusDir)).sort()) {
    for (const chapter of (await readdir(join(defaultCorpusDir, speaker))).sort()) {
      const dir = join(defaultCorpusDir, speaker, chapter);
      const trans = await readFile(join(dir, `${speaker}-${chapter}.trans.txt`), 'utf8');
      for (const line of trans.trim().split('\n')) {
        const [id, ...words] = line.split(' ');
        lines.push(JSON.stringify({ id, audio: join(dir, `${id}.flac`), text: words.join(' ').toLowerCase() }));
      }
    }
  }
  return lines;
}

describe('outputs that cannot be written fail before the work starts', () => {
  it('lm build, lm compile, bench, transcribe, data download and lm tune name the flag and the folder', async () => {
    const blocker = join(work, 'a-file');
    await writeFile(blocker, 'in the way');
    const text = join(work, 'lm-text.txt');
    await writeFile(text, 'THE CAT SAT\nTHE DOG SAT\n');
    const arpa = join(work, 'small.arpa');
    expect((await runCli(['lm', 'build', '--text', text, '-o', arpa, '--quiet'])).code).toBe(0);
    const cases: Array<[string[], string]> = [
      [['lm', 'build', '--text', text, '-o', join(blocker, 'x.arpa')], '-o'],
      [['lm', 'compile', arpa, '-o', join(blocker, 'x.asrqlm')], '-o'],
      [['bench', '--n', '1', '--warmup', '0', '--out', join(blocker, 'b')], '--out'],
      [['transcribe', '--out-dir', join(blocker, 't'), flac], '--out-dir'],
      [['data', 'download', 'dev-clean', '--to', join(blocker, 'd'), '--mirror', 'http://127.0.0.1:9'], '--to'],
      [['lm', 'tune', '--lm', arpa, '--n', '1', '--out', join(blocker, 'tune')], '--out'],
    ];
    for (const [args, flag] of cases) {
      const result = await runCli(args);
      expect(result.stderr, args.join(' ')).not.toMatch(stackTrace);
      expect(result.code, args.join(' ')).toBe(3);
      expect(result.stderr, args.join(' ')).toContain(`${flag} ${join(blocker)}`);
      expect(result.stderr, args.join(' ')).toContain('cannot write there (ENOTDIR); a file is in the way');
      // Nothing ran first: no model loaded, no log-probs computed, no download attempted.
      expect(result.stderr, args.join(' ')).not.toMatch(/loading|computing log-probs|download/);
    }
    const compileToDir = await runCli(['lm', 'compile', arpa, '-o', work]);
    expect(compileToDir.code).toBe(2);
    expect(compileToDir.stderr).toContain(
      `-o ${work} is a directory; give the compiled LM to write, e.g. -o ${join(work, 'small.asrqlm')}`,
    );
  });
});

describe('crashes', () => {
  it('compare refuses a report with "wer":"abc", naming the field (it was an internal error)', async () => {
    const out = join(work, 'compare-bench');
    expect((await runCli(['bench', '--n', '1', '--warmup', '0', '--repeats', '1', '--out', out, '--quiet'])).code).toBe(
      0,
    );
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as { models: { wer: unknown }[] };
    report.models[0]!.wer = 'abc';
    const edited = join(work, 'edited-report.json');
    await writeFile(edited, JSON.stringify(report));
    const result = await runCli(['compare', join(out, 'report.json'), edited]);
    expect(result.stderr).not.toMatch(stackTrace);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${edited}: models[0].wer must be a number, got "abc"`);
  });
});

describe('crashes: huge arguments and deep models', () => {
  it('a 6,000-word --hotword or a 30,000-character path is refused before onnxruntime (it crashed with SIGSEGV)', async () => {
    const words = Array.from({ length: 6000 }, () => 'HELLO').join(' ');
    const path = join(work, `${'x'.repeat(30_000)}.onnx`);
    for (const args of [
      ['transcribe', '--hotword', words, flac],
      ['transcribe', '--model', path, flac],
    ]) {
      const result = await runCli(args);
      expect(result.signal).toBeNull();
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('asrq accepts at most 16000, because onnxruntime crashes on much longer ones');
    }
  });

  it('a 100,000-word hotword phrase in a --hotwords file is refused with file:line (it took > 4 GB)', async () => {
    const file = join(work, 'hotwords.txt');
    await writeFile(file, `# names\nNEW YORK\n${Array.from({ length: 100_000 }, () => 'HELLO').join(' ')}\n`);
    const result = await runCli(['transcribe', '--hotwords', file, flac]);
    expect(result.stderr).not.toMatch(stackTrace);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}:3 has 100000 words`);
  });

  it('inspect --json on a model with 5000-deep node names prints the tree folded, instead of overflowing the stack', async () => {
    const model = await readModel(defaultModelPath);
    const node = model.proto.graph!.node!.find((n) => n.name === '/encoder/ctc_lin/MatMul')!;
    node.name = `/${Array.from({ length: 5000 }, (_, i) => `m${i % 10}`).join('/')}/MatMul`;
    const deep = join(work, 'deep.onnx');
    await writeModel(model, deep);
    const result = await runCli(['inspect', deep, '--json']);
    expect(result.stderr).not.toMatch(stackTrace);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as { nodeCount: number; tree: { nodeCount: number } };
    expect(json.tree.nodeCount).toBe(json.nodeCount);
    expect(result.stdout).toMatch(/"foldedModules": \d+/);
  });
});

describe('front-end configs are bounded', () => {
  it.each([
    ['{"sampleRate": 1e12}', "option 'sampleRate' of front end 'raw' must be an integer >= 1000 <= 768000"],
    ['{"numMelBins": 1e9}', "option 'numMelBins' of front end 'kaldi-fbank' must be an integer >= 1 <= 1024"],
  ])('features --frontend-config %s is refused naming the file and key (it took > 8 GB)', async (config, message) => {
    const file = join(work, `frontend-${config.length}.json`);
    await writeFile(file, config);
    const frontend = config.includes('numMelBins') ? 'kaldi-fbank' : 'raw';
    const result = await runCli(['features', flac, '--frontend', frontend, '--frontend-config', file]);
    expect(result.stderr).not.toMatch(stackTrace);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(file);
    expect(result.stderr).toContain(message);
  });
});

describe('silent cases and unclear messages', () => {
  it.each([
    [['transcribe', '--hotword', '', 'x.flac'], '--hotword #1 is empty'],
    [['transcribe', '--alpha', '0.5', 'x.flac'], '--alpha sets the weight of an n-gram LM, and no --lm is given'],
    [['bench', '--alpha', '0.5', '--n', '1'], '--alpha sets the weight of an n-gram LM'],
    [
      ['transcribe', '--sample-rate', '1', 'x.flac'],
      "option '--sample-rate <hz>' argument '1' is invalid. expected a whole number from 1000 to 768000",
    ],
    [
      [
        'quantize',
        '--dynamic',
        '',
        '--static',
        'encoder',
        '--calibrator',
        'percentile',
        '--percentile',
        '200',
        '-o',
        'x.onnx',
      ],
      "option '--percentile <p>' argument '200' is invalid",
    ],
    [['quantize', '--auto', '--budget', '0', '-o', 'x.onnx'], "option '--budget <time>' argument '0' is invalid"],
    [
      ['quantize', '--auto', '--max-wer-increase', '-1', '-o', 'x.onnx'],
      "option '--max-wer-increase <points>' argument '-1' is invalid",
    ],
    [['lm', 'tune', '--lm', 'x.arpa', '--beta-range=-1:1e3'], '1000 in "-1:1e3" is outside -100..100'],
  ])('asrq %j says what is wrong in flags', async (args, message) => {
    const result = await runCli(args, { cwd: work });
    expect(result.stderr).not.toMatch(stackTrace);
    expect(result.code).toBe(2);
    expect(result.stderr.replace(/\s+/g, ' ')).toContain(message);
    expect(result.stderr).not.toMatch(/flags\.|budgetSec|maxWerIncrease/);
  });
});

describe('inputs that are not audio files', () => {
  it.runIf(process.platform === 'linux')(
    'transcribe <fifo> is refused at once instead of blocking forever',
    async () => {
      const fifo = join(work, 'in.wav');
      execFileSync('mkfifo', [fifo]);
      const result = await runCli(['transcribe', fifo]);
      expect(result.stderr).not.toMatch(stackTrace);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(`${fifo}: is a pipe (FIFO), not an audio file`);
    },
  );

  it('a zero-byte FLAC is empty, not "not a RIFF/WAVE file"', async () => {
    const empty = join(work, 'empty.flac');
    await writeFile(empty, '');
    const result = await runCli(['transcribe', empty]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${empty}: the file is empty (0 bytes)`);
    expect(result.stderr).not.toContain('RIFF');
  });
});

describe('no silent wrong results', () => {
  it('bench warns when the transcripts are lower case and the model writes upper case, and --normalize scores them', async () => {
    const lines = (await lowerCaseManifestLines()).slice(0, 6);
    const manifest = join(work, 'lower.jsonl');
    await writeFile(manifest, `${lines.join('\n')}\n`);
    const args = ['bench', '--data', manifest, '--n', '6', '--warmup', '0', '--repeats', '1', '--json'];
    const plain = await runCli([...args, '--out', join(work, 'lower-bench')]);
    expect(plain.stderr).not.toMatch(stackTrace);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toContain(
      'warning: model.onnx: the references are in lower case and the hypotheses in upper case',
    );
    expect(plain.stderr).toContain('--normalize');
    const normalized = await runCli([...args, '--normalize', '--out', join(work, 'lower-bench-normalized')]);
    expect(normalized.code).toBe(0);
    expect(normalized.stderr).not.toContain('lower case');
    const wer = (r: { stdout: string }) => (JSON.parse(r.stdout) as { models: { wer: number }[] }).models[0]!.wer;
    expect(wer(plain)).toBe(100);
    expect(wer(normalized)).toBeLessThan(100);
  });

  it('features --frontend raw honours --sample-rate (it was ignored)', async () => {
    const result = await runCli(['features', flac, '--frontend', 'raw', '--sample-rate', '8000', '--json']);
    expect(result.stderr).not.toMatch(stackTrace);
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as { sampleRate: number; frames: number; source: string };
    expect(out.sampleRate).toBe(8000);
    expect(out.source).toContain('--sample-rate 8000');
  });

  it('NaN or 1e30 float audio is refused naming the file (features --json printed null, transcribe blamed the model)', async () => {
    for (const bad of [Number.NaN, 1e30]) {
      const samples = new Float32Array(8000).map((_, i) => 0.1 * Math.sin(i / 5));
      samples[4000] = bad;
      const path = join(work, `bad-${bad}.wav`);
      await writeFile(path, encodeWav([samples], 16000, { float: true }));
      for (const args of [
        ['features', path, '--frontend', 'raw', '--json'],
        ['transcribe', path],
      ]) {
        const result = await runCli(args);
        expect(result.stderr).not.toMatch(stackTrace);
        expect(result.code).toBe(3);
        expect(result.stderr).toContain(`${path}: sample 4000 of channel 1`);
        expect(result.stdout).toBe('');
      }
    }
  });

  it('inspect names a preprocessor_config.json with a mistyped key, and one it does not use, instead of "no preprocessor_config.json"', async () => {
    const dir = join(work, 'preprocessor');
    await mkdir(dir, { recursive: true });
    await copyFile(defaultModelPath, join(dir, 'model.onnx'));
    await copyFile(defaultTokenizerPath, join(dir, 'tokenizer.model'));
    const config = join(dir, 'preprocessor_config.json');
    await writeFile(config, '{"do_normalize": "maybe", "feature_size": 2}');
    const mistyped = await runCli(['inspect', join(dir, 'model.onnx')]);
    expect(mistyped.stdout).toContain(`${config}: 'do_normalize' must be a boolean, got "maybe"`);
    expect(mistyped.stdout).not.toContain('no preprocessor_config.json beside the model');
    await writeFile(config, '{"feature_extractor_type": "WhisperFeatureExtractor"}');
    const unused = await runCli(['inspect', join(dir, 'model.onnx')]);
    expect(unused.stdout).toContain(`default (${config} describes no waveform feature extractor, so it is not used)`);
    const transcribe = await runCli(['transcribe', '--model', join(dir, 'model.onnx'), flac]);
    expect(transcribe.code).toBe(0);
  });

  it('a model that outputs NaN is named with the utterance by bench and with the file by transcribe', async () => {
    const dir = join(work, 'nan-model');
    await mkdir(dir, { recursive: true });
    const model = await readModel(defaultModelPath);
    const bias = model.proto.graph!.initializer!.find((t) => t.name === 'encoder.ctc_lin.bias')!;
    const nan = new Float32Array(floatData(bias)).fill(Number.NaN);
    model.proto.graph!.initializer = [
      ...model.proto.graph!.initializer!.filter((t) => t !== bias),
      makeTensor(bias.name!, nan, tensorDims(bias)),
    ];
    const path = join(dir, 'model.onnx');
    await writeModel(model, path);
    await copyFile(defaultTokenizerPath, join(dir, 'tokenizer.model'));
    const bench = await runCli([
      'bench',
      '--model',
      path,
      '--n',
      '1',
      '--warmup',
      '0',
      '--repeats',
      '1',
      '--out',
      join(dir, 'b'),
    ]);
    expect(bench.stderr).not.toMatch(stackTrace);
    expect(bench.code).toBe(4);
    expect(bench.stderr).toMatch(new RegExp(`${path} on utterance [0-9-]+ \\(.*\\.flac\\): Log-probs hold NaN`));
    const transcribe = await runCli(['transcribe', '--model', path, flac]);
    expect(transcribe.stderr).not.toMatch(stackTrace);
    expect(transcribe.stderr).toContain(`${flac}: Log-probs hold NaN`);
  });
});
