import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchReport, ModelResult } from '@asrq/bench';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { findEntryPoints } from '../scripts/api.js';
import { commandPath, loadCli, renderCliReference, withErrorCodes } from '../scripts/cli-reference.js';
import { repoRoot } from '../scripts/paths.js';
import { cellText, readCompatMatrix, renderCompatibility } from '../scripts/compatibility.js';
import { expectedReadme } from '../scripts/readme-results.js';
import { readReports, renderResults, werRtfPlot } from '../scripts/results.js';
import { useTempDirs } from '@asrq/test-temp';

const { tempDir } = useTempDirs();

function model(label: string, wer: number, rtf: number): ModelResult {
  const timing = { count: 1, median: rtf, mean: rtf, min: rtf, max: rtf, p10: rtf, p90: rtf, stdev: 0 };
  return {
    model: `/x/${label}`,
    label,
    wer,
    cer: wer / 2,
    substitutions: 1,
    deletions: 2,
    insertions: 3,
    refWords: 10,
    rtfEncoder: rtf,
    rtfEncoderRepeats: timing,
    rtfEndToEnd: rtf * 1.2,
    rtfDecode: 0,
    speedup: 1,
    speedupPerUtterance: timing,
    utteranceRtf: [rtf],
    sizeBytes: 1e6,
    loadSec: 0.1,
    rssIncreaseBytes: 0,
    worst: [],
    confusions: [],
  };
}

function report(models: ModelResult[]): BenchReport {
  return {
    version: 1,
    utterances: 10,
    audioSec: 60,
    skipped: [],
    corpusWarnings: 0,
    config: {
      models: models.map((m) => m.model),
      data: '/data/LibriSpeech/dev-clean',
      n: 10,
      warmup: 2,
      repeats: 3,
      threads: 1,
      beam: 1,
      lenient: false,
    },
    protocol: {
      rtfScope: 'encoder',
      warmupExcluded: 2,
      repeats: 3,
      threads: 1,
      interleaving: 'ABBA',
      decoding: 'greedy (best path)',
    },
    models,
    harness: { loopSec: 1, workSec: 1, overheadPercent: 1, resumedUtterances: 0, peakRssBytes: 1 },
    environment: { node: 'v20', onnxruntime: '1.30.0', cpu: 'cpu', cores: 2, platform: 'linux-x64' },
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:01:00.000Z',
  };
}

describe('results page generator', () => {
  it('renders any number of reports with any number of models, and plots every model', async () => {
    const dir = await tempDir('asrq-docs-results-');
    await writeFile(
      join(dir, 'b-int8.json'),
      JSON.stringify(
        report([model('fp32.onnx', 10, 0.5), model('int8.onnx', 11, 0.25), model('mixed.onnx', 10.5, 0.3)]),
      ),
    );
    await writeFile(join(dir, 'a-fp32.json'), JSON.stringify(report([model('fp32.onnx', 10, 0.5)])));
    await writeFile(join(dir, 'notes.txt'), 'not a report');
    const reports = await readReports(dir);
    expect(reports.map((r) => r.file)).toEqual(['a-fp32.json', 'b-int8.json']);
    const page = renderResults(reports);
    // Headings say what was measured; the source file is named in the section, not as its heading.
    expect(page.match(/^## 1 model on \d+ utterances of \S+, \d+ threads?$/gm)).toHaveLength(1);
    expect(page.match(/^## 3 models on \d+ utterances of \S+, \d+ threads?$/gm)).toHaveLength(1);
    expect(page).not.toMatch(/^## [ab]-/m);
    expect(page).toContain('Source: `data/b-int8.json`');
    expect(page.match(/\| mixed\.onnx +\|/g)).toHaveLength(2); // results table and the details
    expect(page).toContain('11.00'); // WER as the CLI formats it
    // The docs table: speedup right after the error rates, the RTF spread in the details.
    expect(page).toMatch(/\| model +\| +size \| WER % \| CER % \| speedup \| RTF encoder \| RTF end-to-end \|/);
    expect(page).toMatch(/\| mixed\.onnx +\| 0\.30000-0\.30000 \|/);
    const svg = werRtfPlot(reports);
    // Two drawings of the plot (desktop and phone), each with every model.
    expect(svg.match(/<svg class="asrq-plot asrq-plot-(wide|narrow)"/g)).toHaveLength(2);
    expect(svg.match(/<circle cx=[^>]*r="5"/g)).toHaveLength(8);
    expect(svg).not.toContain('NaN');
    expect(svg).toContain('a-fp32.json'); // legend when several reports
  });

  it('says so when there is no report, and rejects files of another schema', async () => {
    expect(renderResults([])).toContain('No bench reports');
    const dir = await tempDir('asrq-docs-results-');
    await writeFile(join(dir, 'old.json'), JSON.stringify({ version: 99, models: [] }));
    await expect(readReports(dir)).rejects.toThrow(/schema version/);
  });

  it("writes the README's results table from the same report as the results page", async () => {
    const { current, expected } = await expectedReadme();
    expect(expected, 'README.md has the results-table markers').toBeDefined();
    expect(current, 'run pnpm readme:results').toBe(expected);
  });

  it('reads the committed reports', async () => {
    const reports = await readReports(join(repoRoot, 'apps', 'docs', 'data'));
    expect(reports.length).toBeGreaterThan(0);
  });
});

describe('CLI reference generator', () => {
  it('walks nested commands with arguments, options and defaults', () => {
    const program = new Command('tool').description('A tool.');
    const group = program.command('group').description('A <group>.');
    group
      .command('leaf')
      .description('Does | things.')
      .argument('<input...>', 'inputs')
      .requiredOption('--out <file>', 'output')
      .option('--n <count>', 'how many', '3');
    const md = renderCliReference(program, [{ name: 'usage', value: 2, meaning: 'Bad flags.' }]);
    expect(md).toContain('## tool group {#tool-group}');
    expect(md).toContain('### tool group leaf {#tool-group-leaf}');
    expect(md).toContain('A &lt;group&gt;.');
    expect(md).toContain('| `<input...>` | inputs |');
    expect(md).toMatch(/\| `--out <file>` \| output — \*\*required\*\* \|/);
    expect(md).toContain('| `--n <count>` | how many | `3` |');
    expect(md).toContain('| 2 | `usage` | Bad flags. |');
  });

  it('documents every command of the real CLI', async () => {
    const { program, exitCodes } = await loadCli(join(repoRoot, 'apps', 'cli'));
    const md = renderCliReference(program, exitCodes);
    // Hidden (internal) commands are left out, as `asrq --help` leaves them out.
    const walk = (c: Command): Command[] => [
      c,
      ...c.commands.filter((s) => c.createHelp().visibleCommands(c).includes(s)).flatMap(walk),
    ];
    const commands = walk(program).slice(1);
    expect(commands.length).toBeGreaterThanOrEqual(8);
    for (const command of commands) {
      expect(md).toContain(`# ${commandPath(command)} {#`);
      for (const option of command.options) expect(md).toContain(`\`${option.flags}\``);
    }
    expect(exitCodes.find((e) => e.name === 'usage')?.value).toBe(2);
  });

  it('lists every error code with its exit code and package, from the CLI code tables', async () => {
    const { program, exitCodes } = await loadCli(join(repoRoot, 'apps', 'cli'));
    const md = renderCliReference(program, exitCodes);
    expect(md).toContain('### Error codes {#error-codes}');
    expect(md).toContain('| `ABORTED` | 130 | `@asrq/core` |');
    expect(md).toContain('| `CLI_USAGE` | 2 | `asrq` |');
    expect(md).toContain('| `RUNTIME_BAD_MODEL` | 4 | `@asrq/runtime` |');
    expect(md).toContain('| `AUDIO_EMPTY` | 3 | `@asrq/audio` |');
    const rows = md.split('\n').filter((line) => /^\| `[A-Z][A-Z0-9_]*` \| \d+ \|/.test(line));
    expect(rows.length).toBe(exitCodes.reduce((n, e) => n + (e.errorCodes?.length ?? 0), 0));
    expect(rows.length).toBeGreaterThan(90);
  });

  it('joins exit codes with the error codes that map to them', () => {
    const joined = withErrorCodes(
      [
        { name: 'usage', value: 2, meaning: 'Bad flags.' },
        { name: 'input', value: 3, meaning: 'Bad input.' },
      ],
      [
        { code: 'B_BAD', package: 'b', exitCode: 3, summary: 'B | bad.' },
        { code: 'A_BAD', package: 'a', exitCode: 2, summary: 'A bad.' },
      ],
    );
    expect(joined.map((e) => e.errorCodes?.map((c) => c.code))).toEqual([['A_BAD'], ['B_BAD']]);
    const md = renderCliReference(new Command('tool'), joined);
    expect(md).toContain('| `A_BAD` | 2 | `a` | A bad. |\n| `B_BAD` | 3 | `b` | B \\| bad. |');
  });
});

describe('API entry points', () => {
  it('finds every package entry point from the exports maps', async () => {
    const { entries } = await findEntryPoints();
    const specifiers = entries.map((e) => e.specifier);
    for (const pkg of ['core', 'audio', 'metrics', 'ctc', 'onnx', 'quantize', 'runtime', 'bench'])
      expect(specifiers).toContain(`@asrq/${pkg}`);
    expect(specifiers).toContain('@asrq/core/node');
  });
});

describe('Compatibility page', () => {
  it('is the recorded matrix: a table per family, a row per export, a cell per operation', async () => {
    const matrix = await readCompatMatrix(join(repoRoot, 'apps/docs/data/compatibility/matrix.json'));
    const md = renderCompatibility(matrix);
    const families = new Set(matrix.rows.map((r) => r.family));
    expect(families.size).toBeGreaterThanOrEqual(7);
    for (const f of families) expect(md).toContain(`### ${f}`);
    const tableRows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| variant'));
    expect(tableRows).toHaveLength(matrix.rows.length);
    for (const line of tableRows) expect(line.split(' | ')).toHaveLength(matrix.operations.length + 2);
    expect(md).toContain(matrix.generatedBy);
    expect(md).toMatch(new RegExp(`${matrix.rows.length} exports × ${matrix.operations.length} operations`));
  });

  it('writes each kind of cell plainly', () => {
    expect(cellText({ status: 'ok', sqnrDb: 37.71 })).toBe('✓ 37.7 dB');
    expect(cellText({ status: 'ok', sqnrDb: 20, checker: 'input fails' })).toBe(
      '✓ 20.0 dB (input fails onnx.checker too)',
    );
    expect(cellText({ status: 'refused', code: 'QUANT_ALREADY_QUANTIZED', note: 'already quantized' })).toBe(
      'refused: already quantized',
    );
    expect(cellText({ status: 'n/a', note: 'no recommended plan' })).toBe('— (no recommended plan)');
  });
});
