import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Every temporary file of a test run goes into one folder that is removed when the run ends:
// the workers and every process the tests start (the CLI, chromium, Python) inherit TMPDIR, so
// folders a test does not remove itself (outputs, chromium profiles of ~47 MB) go with it.
const runTmp = mkdtempSync(join(tmpdir(), 'asrq-vitest-'));
process.env.TMPDIR = runTmp;
process.on('exit', () => rmSync(runTmp, { recursive: true, force: true }));

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
    // Two-core machines: model-running tests are CPU bound, more workers only thrash.
    maxWorkers: 2,
    // In CI also write a JSON summary, from which .ci/run prints a plain "N passed, N failed" line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.vitest-results.json' }]] : ['default'],
  },
});
