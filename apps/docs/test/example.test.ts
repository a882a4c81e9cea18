import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { docsRoot } from './site-helpers.js';

const run = promisify(execFile);

describe('tutorial library example (included verbatim in tutorial/library.md)', () => {
  it('runs end to end on the bundled model and corpus', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'asrq-docs-example-'));
    try {
      const { stdout } = await run('pnpm', ['exec', 'tsx', '--conditions=@asrq/source', 'examples/tutorial.ts', dir], {
        cwd: docsRoot,
        maxBuffer: 16 * 1024 * 1024,
      });
      expect(stdout).toContain('(ctc_lin)');
      expect(stdout).toMatch(/output SQNR vs float: log_probs \d+(\.\d+)? dB/);
      expect(stdout).toContain('whole plan:');
      expect(stdout).toMatch(/\| model\.int8\.onnx \|/);
      expect(existsSync(join(dir, 'model.int8.onnx'))).toBe(true);
      expect(existsSync(join(dir, 'bench', 'report.json'))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
