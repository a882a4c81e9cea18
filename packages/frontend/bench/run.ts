/**
 * Front-end speed: x-realtime (seconds of audio per second of compute) of kaldi-fbank and
 * nemo-mel (and the waveform front ends) on 60 s of 16 kHz audio, one thread, interleaved rounds
 * after a warm-up, median of the rounds. Prints the machine's load average and CPU model, since
 * timing on a shared machine is only comparable within one run. Also prints the process's CPU time
 * per run, which on a busy machine is closer to what an idle core would take.
 * Run: pnpm --filter @asrq/frontend bench
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { seededRandom } from '@asrq/core';
import { createFrontEnd, type FrontEnd } from '../src/index.js';

const SECONDS = 60;
const ROUNDS = 7;
const rand = seededRandom(11);
// A speech-like test signal: a few drifting harmonics plus noise (speed does not depend on content).
const audio = Float32Array.from(
  { length: SECONDS * 16000 },
  (_, i) => 0.2 * Math.sin(i * (0.05 + 0.00001 * (i % 16000))) + 0.1 * Math.sin(i * 0.31) + 0.05 * (rand() * 2 - 1),
);

const frontEnds: Record<string, FrontEnd> = {
  'kaldi-fbank (torchaudio defaults)': createFrontEnd('kaldi-fbank'),
  'kaldi-fbank (sherpa-onnx zipformer)': createFrontEnd('kaldi-fbank', { snipEdges: false, highFreq: -400 }),
  'nemo-mel (80 features)': createFrontEnd('nemo-mel'),
  'hf-normalize': createFrontEnd('hf-normalize'),
};
const buffers = new Map(
  Object.entries(frontEnds).map(([name, fe]) => [name, new Float32Array(fe.frameCount(audio.length) * fe.dim)]),
);
const seconds: Record<string, number[]> = Object.fromEntries(Object.keys(frontEnds).map((k) => [k, []]));
// CPU time of this process as well: on a busy machine wall time mostly measures waiting for a core.
const cpuSeconds: Record<string, number[]> = Object.fromEntries(Object.keys(frontEnds).map((k) => [k, []]));

const loadBefore = os.loadavg();
for (const [name, fe] of Object.entries(frontEnds)) fe.compute(audio, buffers.get(name));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, fe] of Object.entries(frontEnds)) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    fe.compute(audio, buffers.get(name));
    seconds[name]!.push((performance.now() - start) / 1000);
    const used = process.cpuUsage(cpu);
    cpuSeconds[name]!.push((used.user + used.system) / 1e6);
  }
}
const loadAfter = os.loadavg();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `@asrq/frontend speed: ${SECONDS} s of 16 kHz audio, ${ROUNDS} interleaved rounds after 1 warm-up, median, 1 thread, Node ${process.version}`,
);
console.log(
  `CPU: ${os.cpus()[0]?.model ?? 'unknown'} (${os.cpus().length} cores); load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')}`,
);
console.log('');
console.log(
  '| front end | frames x dim | wall ms per 60 s (median [min-max]) | x-realtime (wall) | CPU ms per 60 s (median) | x-realtime (CPU time) |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const [name, fe] of Object.entries(frontEnds)) {
  const s = seconds[name]!;
  const m = median(s);
  console.log(
    `| ${name} | ${fe.frameCount(audio.length)} x ${fe.dim} | ${(m * 1000).toFixed(1)} [${(Math.min(...s) * 1000).toFixed(1)}-${(Math.max(...s) * 1000).toFixed(1)}] | ${Math.round(SECONDS / m)}x | ${(median(cpuSeconds[name]!) * 1000).toFixed(1)} | ${Math.round(SECONDS / median(cpuSeconds[name]!))}x |`,
  );
}
