#!/usr/bin/env node
// `pnpm asrq <command>` from a checkout: (re)build the CLI and the packages it uses with turbo
// (a cache hit when nothing changed), then run it. Build chatter goes to stderr so stdout
// carries only the CLI's own output (e.g. --json); a build that takes a while says so
// ("building asrq (first run) ...") instead of leaving the terminal silent for a minute.
//
// It runs from any folder of the checkout: pnpm runs the root `asrq` script from any folder
// that is not a workspace package (with INIT_CWD = where the user stands), and from a package
// folder it runs the `asrq` binary the root links to this file (scripts/checkout-bin). The CLI
// runs in the user's folder, so relative paths mean what the user typed.
//
// Children run in their own process group and the signals this wrapper gets (SIGINT, SIGTERM,
// SIGHUP) are forwarded to them, once: Ctrl-C in a terminal reaches only the wrapper's group,
// and `kill -INT <wrapper pid>` from a supervisor reaches the CLI too instead of orphaning it.
// The wrapper exits with the child's status, or 128 + the signal number when it was killed.
//
// The CLI must also stop when the wrapper's own parent goes away without telling it (pnpm or npx
// killed: the wrapper is then re-parented, and the CLI sits in another process group), and when
// the wrapper itself is killed outright (`kill -9 -<pgid>`): the wrapper polls its parent and
// forwards SIGTERM when it is gone, and the CLI watches a pipe (fd 3, ASRQ_PARENT_FD) that ends
// with the wrapper, whichever way it ends.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };
const forwarded = ['SIGINT', 'SIGTERM', 'SIGHUP'];
// pnpm runs the root scripts (`asrq`, `demo`) in the root; INIT_CWD is where they were typed.
const fromRootScript = ['asrq', 'demo'].includes(process.env.npm_lifecycle_event ?? '');
const userCwd = fromRootScript && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
const cliBin = fileURLToPath(new URL('../apps/cli/dist/bin.js', import.meta.url));

/** Runs a child with signal forwarding; resolves to the exit code this wrapper should use. */
function run(command, args, options) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, detached: true });
    const forward = (signal) => {
      try {
        // The whole group: pnpm and turbo start processes of their own.
        process.kill(-child.pid, signal);
      } catch {
        child.kill(signal);
      }
    };
    for (const signal of forwarded) process.on(signal, forward);
    // Re-parented: whoever started this wrapper (pnpm, npx, a shell) is gone.
    const parent = process.ppid;
    const orphaned = setInterval(() => {
      if (process.ppid !== parent) {
        clearInterval(orphaned);
        forward('SIGTERM');
      }
    }, 500);
    orphaned.unref();
    const done = (code) => {
      clearInterval(orphaned);
      for (const signal of forwarded) process.off(signal, forward);
      resolve(code);
    };
    child.on('error', (error) => {
      process.stderr.write(`asrq: cannot start ${command}: ${error.message}\n`);
      done(1);
    });
    child.on('exit', (code, signal) => done(code ?? 128 + (constants.signals[signal] ?? 0)));
  });
}

/** Builds the CLI with turbo, saying so when that is more than a cache hit; resolves to turbo's exit code. */
async function build() {
  const say = (text) => process.stderr.write(`asrq: ${text}\n`);
  let slow;
  if (existsSync(cliBin)) {
    // A cache hit takes about a second; longer means sources changed since the last build.
    // ASRQ_BUILD_NOTICE_MS: how long to wait before saying so (the tests set 0).
    const after = Number(process.env.ASRQ_BUILD_NOTICE_MS ?? 3000);
    slow = setTimeout(() => say('building asrq (sources changed since the last build) ...'), after);
  } else {
    say('building asrq (first run, about a minute) ...');
  }
  try {
    return await run(
      'pnpm',
      ['exec', 'turbo', 'run', 'build', '--filter=asrq...', '--output-logs=errors-only', '--log-prefix=none'],
      { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env },
    );
  } finally {
    clearTimeout(slow);
  }
}

// ASRQ_CLI_PREBUILT=1: the caller already built it (as for the end-to-end tests).
const built = process.env.ASRQ_CLI_PREBUILT === '1' ? 0 : await build();
if (built !== 0) {
  if (built < 128) process.stderr.write('asrq: building the CLI failed (see above). Run `pnpm install` first.\n');
  process.exit(built);
}
process.exit(
  await run(process.execPath, [cliBin, ...process.argv.slice(2)], {
    cwd: userCwd,
    stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
    // ASRQ_COMMAND: how the user runs asrq, for the commands the CLI suggests (asrq demo's "Next:").
    env: { ...process.env, ASRQ_PARENT_FD: '3', ASRQ_COMMAND: 'pnpm asrq' },
  }),
);
