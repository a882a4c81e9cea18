/**
 * Runs every parser fuzz test (`*.fuzz.test.ts`) with many more iterations than CI, on a new seed:
 *   pnpm fuzz                 # 50x the CI iterations, seed from the clock
 *   pnpm fuzz --scale 200 --seed 1234
 * A failure prints the seed and the shrunk counterexample (fast-check's report), so it replays with
 * `--seed` and the same scale.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '50' }, seed: { type: 'string' } } });
const seed = values.seed ?? String(Date.now() % 1_000_000);
process.stderr.write(`fuzz: ASRQ_FUZZ_SCALE=${values.scale} ASRQ_FUZZ_SEED=${seed}\n`);
// No CLI fuzz test spawns the binary, so the CLI project's build step is skipped.
const result = spawnSync('pnpm', ['exec', 'vitest', 'run', 'fuzz'], {
  stdio: 'inherit',
  env: { ...process.env, ASRQ_FUZZ_SCALE: values.scale, ASRQ_FUZZ_SEED: seed, ASRQ_CLI_PREBUILT: '1' },
});
process.exit(result.status ?? 1);
