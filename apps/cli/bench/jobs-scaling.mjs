// Throughput of `asrq bench --jobs 1` against `--jobs 2` on the bundled model and corpus, as a
// user runs them (the built CLI, wall-clock time of the whole command, model loading included).
// Runs alternate 1, 2, 2, 1, ... so machine noise falls on both alike; prints each run and the
// median ratio. Usage: node apps/cli/bench/jobs-scaling.mjs [rounds=2] (build the CLI first).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os, { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const rounds = Number(process.argv[2] ?? 2);
const work = mkdtempSync(join(tmpdir(), 'asrq-jobs-scaling-'));

function run(jobs, index) {
  const out = join(work, `run-${index}-jobs-${jobs}`);
  const started = process.hrtime.bigint();
  const result = spawnSync(
    process.execPath,
    [bin, 'bench', '--n', '39', '--warmup', '1', '--repeats', '1', '--jobs', String(jobs), '--out', out, '--quiet'],
    { encoding: 'utf8' },
  );
  const wallSec = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`asrq bench --jobs ${jobs} failed: ${result.stderr}`);
  const read = (dir) => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
  const report = read(out);
  // The measuring loops alone (no process start or model loading): the jobs' loops run at once, so the slowest one counts.
  const loopSec =
    jobs === 1
      ? report.harness.loopSec
      : Math.max(...Array.from({ length: jobs }, (_, j) => read(join(out, 'jobs', String(j + 1))).harness.loopSec));
  return {
    jobs,
    wallSec,
    loopSec,
    audioSec: report.audioSec,
    wer: report.models[0].wer,
    throughput: report.audioSec / wallSec,
    loopThroughput: report.audioSec / loopSec,
  };
}

try {
  const results = [];
  for (let round = 0; round < rounds; round++) {
    for (const jobs of round % 2 === 0 ? [1, 2] : [2, 1]) {
      const r = run(jobs, results.length);
      results.push(r);
      console.log(
        `--jobs ${r.jobs}: ${r.audioSec.toFixed(1)} s of audio in ${r.wallSec.toFixed(2)} s wall = ${r.throughput.toFixed(1)}x real time; measuring loop ${r.loopSec.toFixed(2)} s = ${r.loopThroughput.toFixed(1)}x (WER ${r.wer.toFixed(2)} %)`,
      );
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const one = median(results.filter((r) => r.jobs === 1).map((r) => r.throughput));
  const two = median(results.filter((r) => r.jobs === 2).map((r) => r.throughput));
  const oneLoop = median(results.filter((r) => r.jobs === 1).map((r) => r.loopThroughput));
  const twoLoop = median(results.filter((r) => r.jobs === 2).map((r) => r.loopThroughput));
  console.log(
    `median throughput, whole command: --jobs 1 ${one.toFixed(1)}x, --jobs 2 ${two.toFixed(1)}x real time (ratio ${(two / one).toFixed(2)})`,
  );
  console.log(
    `median throughput, measuring loops: --jobs 1 ${oneLoop.toFixed(1)}x, --jobs 2 ${twoLoop.toFixed(1)}x real time (ratio ${(twoLoop / oneLoop).toFixed(2)})`,
  );
  console.log(
    `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at the end`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
