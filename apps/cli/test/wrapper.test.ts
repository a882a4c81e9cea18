import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '@asrq/test-temp';

const { tempDirSync: tempDir } = useTempDirs();

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

/** Live processes below `pid` (children, their children, ...). */
function descendants(pid: number): Array<{ pid: number; cmdline: string }> {
  const found = childrenOf(pid);
  return [...found, ...found.flatMap((p) => descendants(p.pid))];
}

function isRunning(pid: number): boolean {
  if (!existsSync(`/proc/${pid}/stat`)) return false;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}

const root = fileURLToPath(new URL('../../../', import.meta.url));
const clip = 'packages/fixtures/corpus/dev-mini/100/1001/100-1001-0028.flac';

/** Runs `pnpm --silent asrq ...` in `cwd` (a folder of the checkout) and collects its output. */
function pnpmAsrq(cwd: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('pnpm', ['--silent', 'asrq', ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0', ASRQ_CLI_PREBUILT: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('pnpm asrq in a checkout', () => {
  it('runs from any folder and reads paths relative to it (a plain folder, a package, a folder inside a package)', async () => {
    const reference = await pnpmAsrq(root, ['transcribe', clip]);
    expect(reference.code).toBe(0);
    expect(reference.stdout).toMatch(/^[A-Z' ]+\n$/);
    const places: [folder: string, relativeClip: string][] = [
      ['examples/plans', `../../${clip}`], // the root script, run in the root with INIT_CWD
      ['packages/core', `../../${clip}`], // the root's asrq binary (scripts/checkout-bin)
      ['packages/fixtures/corpus', 'dev-mini/100/1001/100-1001-0028.flac'],
    ];
    for (const [folder, relativeClip] of places) {
      const result = await pnpmAsrq(join(root, folder), ['transcribe', relativeClip]);
      expect(result.stderr, folder).toBe('');
      expect(result.stdout, folder).toBe(reference.stdout);
    }
  });

  it('says it is building instead of staying silent while turbo works', async () => {
    const result = await pnpmAsrq(join(root, 'examples'), ['--version'], {
      ASRQ_CLI_PREBUILT: '0',
      ASRQ_BUILD_NOTICE_MS: '0',
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^asrq: building asrq \(sources changed since the last build\) \.\.\.$/m);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe.runIf(process.platform === 'linux')('scripts/asrq.mjs', () => {
  it('forwards SIGINT to the CLI, which stops, and exits with 130', async () => {
    // Long enough to be running when the signal comes: 2 utterances x 10000 repeats (the most --repeats takes).
    const out = tempDir('asrq-wrapper-');
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

  /** Starts `command args` and waits until the CLI under it says it is loading; returns the CLI's pid. */
  async function startUntilLoading(
    command: string,
    args: string[],
    options: { detached?: boolean } = {},
  ): Promise<{ child: ReturnType<typeof spawn>; cli: number; exited: Promise<unknown>; out: string }> {
    const out = tempDir('asrq-wrapper-');
    const child = spawn(
      command,
      [...args, 'bench', '--n', '2', '--warmup', '0', '--repeats', '10000', '--out', join(out, 'run')],
      {
        cwd: fileURLToPath(new URL('../../../', import.meta.url)),
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, FORCE_COLOR: '0', ASRQ_CLI_PREBUILT: '1' },
        detached: options.detached ?? false,
      },
    );
    const exited = new Promise((resolve) => child.on('exit', resolve));
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('loading ')) resolve();
      });
      child.on('exit', () => reject(new Error(`ended before the CLI started:\n${stderr}`)));
    });
    const cli = descendants(child.pid!).find((p) => p.cmdline.includes('apps/cli/dist/bin.js'));
    expect(cli).toBeDefined();
    return { child, cli: cli!.pid, exited, out };
  }

  /** Waits until a process is gone (the test's timeout bounds the wait; nothing here depends on speed). */
  async function gone(pid: number): Promise<boolean> {
    while (isRunning(pid)) await new Promise((resolve) => setTimeout(resolve, 100));
    return true;
  }

  it('stops the CLI when pnpm, the top process, gets SIGINT or SIGTERM', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const { child, cli, exited, out } = await startUntilLoading('pnpm', ['--silent', 'asrq']);
      try {
        process.kill(child.pid!, signal); // pnpm only
        await exited;
        expect(await gone(cli)).toBe(true);
      } finally {
        if (isRunning(cli)) process.kill(cli, 'SIGKILL');
        rmSync(out, { recursive: true, force: true });
      }
    }
  });

  it("stops the CLI when the wrapper's parent dies without a word (the wrapper is re-parented)", async () => {
    // `; :` keeps sh from exec-ing node, so sh stays the wrapper's parent.
    const { child, cli, out } = await startUntilLoading('sh', [
      '-c',
      `"${process.execPath}" "${wrapper}" "$@"; :`,
      'sh',
    ]);
    try {
      process.kill(child.pid!, 'SIGKILL');
      expect(await gone(cli)).toBe(true);
    } finally {
      if (isRunning(cli)) process.kill(cli, 'SIGKILL');
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("stops the CLI when the wrapper's process group is killed outright (kill -9 -<pgid>)", async () => {
    const { child, cli, out } = await startUntilLoading(process.execPath, [wrapper], { detached: true });
    try {
      process.kill(-child.pid!, 'SIGKILL');
      expect(await gone(cli)).toBe(true);
    } finally {
      if (isRunning(cli)) process.kill(cli, 'SIGKILL');
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('bench --jobs: the job processes stop when the CLI is killed outright, and SIGINT names the journals that exist', async () => {
    const out = tempDir('asrq-jobs-');
    const args = ['bench', '--n', '4', '--warmup', '0', '--repeats', '10000', '--jobs', '2', '--out'];
    const start = async (run: string) => {
      const cli = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
      const child = spawn(process.execPath, [cli, ...args, join(out, run)], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, FORCE_COLOR: '0' },
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise((resolve) => child.on('exit', resolve));
      // Both jobs are running once they have loaded the models.
      while (
        childrenOf(child.pid!).filter((p) => p.cmdline.includes('job-worker.js')).length < 2 ||
        !stderr.includes('loading')
      )
        await new Promise((resolve) => setTimeout(resolve, 100));
      return {
        child,
        exited,
        jobs: childrenOf(child.pid!).filter((p) => p.cmdline.includes('job-worker.js')),
        stderr: () => stderr,
      };
    };
    try {
      const killed = await start('killed');
      process.kill(killed.child.pid!, 'SIGKILL');
      for (const job of killed.jobs) expect(await gone(job.pid)).toBe(true);
      const interrupted = await start('run');
      const journal = join(out, 'run', 'jobs', '1', 'results.jsonl');
      while (!existsSync(journal)) await new Promise((resolve) => setTimeout(resolve, 100));
      process.kill(interrupted.child.pid!, 'SIGINT');
      await interrupted.exited;
      const message = interrupted.stderr();
      expect(message).toContain(
        `results so far are in the job journals ${join(out, 'run', 'jobs', '1', 'results.jsonl')}`,
      );
      expect(message).not.toContain(`are in ${join(out, 'run', 'results.jsonl')}`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
