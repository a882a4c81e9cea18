import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** vitest globalSetup: builds the CLI and its workspace dependencies with turbo. */
export default function setup(): void {
  // Set when the caller already built the CLI (e.g. while iterating on one command).
  if (process.env.ASRQ_CLI_PREBUILT === '1') return;
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  execFileSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=asrq...', '--output-logs=errors-only'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
  });
}
