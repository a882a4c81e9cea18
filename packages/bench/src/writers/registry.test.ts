import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticRun } from '../../test/synthetic-run.js';
import { buildReport } from '../report.js';
import { writeReports } from '../write-report.js';
import { getReportWriter, registerReportWriter, reportWriterNames } from './registry.js';

const environment = { node: 'v20', onnxruntime: '1.30.0', cpu: 'test cpu', cores: 2, platform: 'linux-x64' };
const work = mkdtempSync(join(tmpdir(), 'asrq-writers-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('report writers registry', () => {
  const run = syntheticRun();
  const report = buildReport(run, environment);

  it('writes the built-in formats in registration order: json, markdown, html, then the sclite transcripts', async () => {
    expect(reportWriterNames()).toEqual(['json', 'markdown', 'html', 'trn']);
    const dir = join(work, 'all');
    const written = await writeReports(dir, report, run);
    expect(written.map((p) => p.slice(dir.length + 1))).toEqual([
      'report.json',
      'report.md',
      'report.html',
      'ref.trn',
      'hyp-0-float.onnx.trn',
      'hyp-1-int8.onnx.trn',
    ]);
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(report)));
    // References: every utterance the baseline finished, in id order.
    expect(readFileSync(join(dir, 'ref.trn'), 'utf8').trim().split('\n')).toEqual([
      'A B C D (1-1-0)',
      'A B C D (2-1-0)',
      'A B C D (3-1-0)',
    ]);
  });

  it('writes only the formats asked for, and names the known ones for an unknown format', async () => {
    const dir = join(work, 'some');
    await writeReports(dir, report, run, { formats: ['markdown'] });
    expect(readdirSync(dir)).toEqual(['report.md']);
    await expect(writeReports(dir, report, run, { formats: ['pdf'] })).rejects.toMatchObject({
      code: 'BENCH_BAD_OPTION',
      message: expect.stringContaining('json, markdown, html, trn'),
    });
  });

  it('a registered writer is one more format', async () => {
    registerReportWriter({
      name: 'csv',
      description: 'report.csv',
      files: (r) => [{ name: 'report.csv', data: r.models.map((m) => `${m.label},${m.wer}`).join('\n') }],
    });
    expect(getReportWriter('csv').name).toBe('csv');
    const dir = join(work, 'csv');
    await writeReports(dir, report, run, { formats: ['csv'] });
    expect(readFileSync(join(dir, 'report.csv'), 'utf8')).toBe('float.onnx,12.5\nint8.onnx,37.5');
  });
});
