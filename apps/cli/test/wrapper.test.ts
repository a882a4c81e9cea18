import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The `pnpm asrq` wrapper (scripts/asrq.mjs) must not leave the real CLI running when only the
// wrapper is signalled (a supervisor or CI timeout killing the top process).
const wrapper = fileURLToPath(new URL('../../../scripts/asrq.mjs', import.meta.url));

/** Live processes whose parent is `pid`, with their command lines. */
function childrenOf(pid: number): Array<{ pid: number; cmdline: string }> {
  const found: Array<{ pid: number; cmdline: string }> = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the parenthesised command name: state, ppid, ...
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) === pid && state !== 'Z')
        found.push({ pid: Number(name), cmdline: readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ') });
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

function isRunning(pid: number): boolean {
  if (!existsSync(`/proc/${pid}/stat`)) return false;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}

describe.runIf(process.platform === 'linux')('scripts/asrq.mjs', () => {
  it('forwards SIGINT to the CLI, which stops, and exits with 130', async () => {
    // Long enough to be running when the signal comes: 2 utterances x 10000 repeats (the most --repeats takes).
    const out = mkdtempSync(join(tmpdir(), 'asrq-wrapper-'));
    const child = spawn(
      process.execPath,
      [wrapper, 'bench', '--n', '2', '--warmup', '0', '--repeats', '10000', '--out', join(out, 'run'), '--force'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        // The global setup has built the CLI: the wrapper need not run turbo again.
        env: { ...process.env, FORCE_COLOR: '0', ASRQ_CLI_PREBUILT: '1' },
      },
    );
    let stderr = '';
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('loading ')) resolve();
      });
      child.on('exit', () => reject(new Error(`the wrapper ended before the CLI started:\n${stderr}`)));
    });
    const cli = childrenOf(child.pid!).filter((p) => p.cmdline.includes('apps/cli/dist/bin.js'));
    expect(cli).toHaveLength(1);
    try {
      process.kill(child.pid!, 'SIGINT'); // the wrapper only, not its process group
      const { code, signal } = await exited;
      expect({ code, signal }).toEqual({ code: 130, signal: null });
      expect(stderr).toContain('interrupted');
      // The CLI exited before the wrapper did (the wrapper waits for it).
      expect(isRunning(cli[0]!.pid)).toBe(false);
    } finally {
      if (isRunning(cli[0]!.pid)) process.kill(cli[0]!.pid, 'SIGKILL'); // the old wrapper orphaned it
      rmSync(out, { recursive: true, force: true });
    }
  });
});
