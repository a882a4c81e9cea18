import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticRun } from '../test/synthetic-run.js';
import { compareReports } from './compare-reports.js';
import { buildReport } from './report.js';
import { readBenchReport, readBenchReports } from './report-files.js';

const work = mkdtempSync(join(tmpdir(), 'asrq-report-files-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const environment = { node: 'v20', onnxruntime: '1.30.0', cpu: 'cpu', cores: 2, platform: 'linux' };
const report = buildReport(syntheticRun(), environment);

describe('reading bench reports', () => {
  it('reads a report back as written, and every *.json of a folder in name order', async () => {
    writeFileSync(join(work, 'b.json'), JSON.stringify(report));
    writeFileSync(join(work, 'a.json'), JSON.stringify(report));
    writeFileSync(join(work, 'notes.txt'), 'not a report');
    expect(await readBenchReport(join(work, 'a.json'))).toEqual(JSON.parse(JSON.stringify(report)));
    expect((await readBenchReports(work)).map((r) => r.file)).toEqual(['a.json', 'b.json']);
    expect(await readBenchReports(join(work, 'missing'))).toEqual([]);
  });

  it('refuses a missing file, a file that is not JSON and a report of another schema version, with typed codes', async () => {
    await expect(readBenchReport(join(work, 'none.json'))).rejects.toMatchObject({
      code: 'BENCH_REPORT_NOT_FOUND',
      message: expect.stringContaining('none.json'),
    });
    writeFileSync(join(work, 'text.json.bad'), 'hello');
    await expect(readBenchReport(join(work, 'text.json.bad'))).rejects.toMatchObject({
      code: 'BENCH_BAD_REPORT',
      message: expect.stringContaining('is not JSON'),
    });
    const dir = mkdtempSync(join(work, 'old-'));
    writeFileSync(join(dir, 'old.json'), JSON.stringify({ version: 99, models: [] }));
    await expect(readBenchReports(dir)).rejects.toMatchObject({
      code: 'BENCH_BAD_REPORT',
      message: expect.stringMatching(/old\.json is not an asrq bench report of schema version 1/),
    });
  });
});

describe('report fields', () => {
  it('refuses a report whose fields the tables read have the wrong type, naming the field (compare crashed on "wer":"abc")', async () => {
    const edits: Array<[(r: Record<string, unknown> & { models: Record<string, unknown>[] }) => void, string]> = [
      [(r) => (r.models[0]!.wer = 'abc'), 'models[0].wer must be a number, got "abc"'],
      [(r) => (r.models[1]!.speedup = null), 'models[1].speedup must be a number, got null'],
      [(r) => (r.models[0]!.label = 5), 'models[0].label must be a string, got number'],
      [(r) => (r.models[0]!.rtfEncoderRepeats = {}), 'models[0].rtfEncoderRepeats.min must be a number'],
      [(r) => (r.models = []), 'models must be a non-empty list'],
      [(r) => (r.config = 'x'), 'config must be an object'],
    ];
    for (const [edit, message] of edits) {
      const copy = JSON.parse(JSON.stringify(report));
      edit(copy);
      writeFileSync(join(work, 'edited.json'), JSON.stringify(copy));
      await expect(readBenchReport(join(work, 'edited.json'))).rejects.toMatchObject({
        code: 'BENCH_BAD_REPORT',
        message: expect.stringContaining(`${join(work, 'edited.json')}: ${message}`),
      });
    }
  });
});

describe('compareReports', () => {
  it("recomputes speedups against the first report's first model and lists the settings that differ", () => {
    const other = {
      ...report,
      config: { ...report.config, n: 5, seed: 1 },
      models: report.models.map((m) => ({ ...m, rtfEncoder: m.rtfEncoder * 2 })),
    };
    const { models, differences } = compareReports([report, other]);
    expect(models).toHaveLength(4);
    expect(models.map((m) => m.speedup)).toEqual([
      1,
      report.models[0]!.rtfEncoder / report.models[1]!.rtfEncoder,
      0.5,
      report.models[0]!.rtfEncoder / (2 * report.models[1]!.rtfEncoder),
    ]);
    expect(differences).toEqual([{ index: 1, settings: ['n', 'seed'] }]);
    expect(compareReports([report, report]).differences).toEqual([]);
  });
});
