#!/usr/bin/env node
// `pnpm asrq <command>` from a checkout: (re)build the CLI and the packages it uses with turbo
// (a cache hit when nothing changed), then run it. Build chatter goes to stderr so stdout
// carries only the CLI's own output (e.g. --json).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };
const build = spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=asrq...', '--output-logs=errors-only', '--log-prefix=none'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env,
});
if (build.status !== 0) {
  process.stderr.write('asrq: building the CLI failed (see above). Run `pnpm install` first.\n');
  process.exit(build.status ?? 1);
}
const run = spawnSync(process.execPath, [fileURLToPath(new URL('../apps/cli/dist/bin.js', import.meta.url)), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? (run.signal ? 128 : 1));
