import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binPath } from './run-cli.js';
import { useTempDirs } from '@asrq/test-temp';

const { tempDir } = useTempDirs();

// The progress bar only draws on a terminal: util-linux `script` gives the CLI a pseudo-terminal.
const hasScript = spawnSync('script', ['--version']).status === 0;

describe.skipIf(!hasScript)('bench progress on a terminal (needs util-linux script)', () => {
  it('switches from the warm-up bar to a measuring bar instead of counting past the warm-up total', async () => {
    const out = join(await tempDir('asrq-progress-'), 'run');
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(binPath)} bench --n 3 --warmup 2 --repeats 1 --out ${JSON.stringify(out)}`;
    const result = spawnSync('script', ['-qec', command, '/dev/null'], {
      encoding: 'utf8',
      env: { ...process.env, COLUMNS: '120' },
      timeout: 120_000,
    });
    expect(result.status).toBe(0);
    const bars = [...result.stdout.matchAll(/(warm-up|measuring) +\[[^\]]*\] (\d+)\/(\d+)/g)].map((m) => ({
      label: m[1]!,
      done: Number(m[2]),
      total: Number(m[3]),
    }));
    expect(bars.some((b) => b.label === 'measuring' && b.total === 3)).toBe(true);
    for (const bar of bars) expect(bar.done).toBeLessThanOrEqual(bar.total);
    expect(bars.filter((b) => b.label === 'warm-up').every((b) => b.total === 2)).toBe(true);
  });
});
