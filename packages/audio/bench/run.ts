// Speed of @asrq/audio: FLAC decoding and resampling, as x-realtime on one thread.
// Run: pnpm --filter @asrq/audio bench
// Comparisons are ratios of runs interleaved in the same process (the machine is shared).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { defaultCorpusDir } from '@asrq/fixtures';
import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { decodeAudio, downmix, encodeWav, readAudio, resample } from '../src/index.js';
import { useSimdResampler } from '../src/resample.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);

function flacFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.flac'))
    .sort()
    .map((f) => join(dir, f));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

// CPU time of this process, not wall time: other jobs share the 2 cores, and everything
// measured here runs on the main thread, so CPU seconds are one core's seconds.
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

function time(fn: () => void): number {
  const start = cpuSeconds();
  fn();
  return cpuSeconds() - start;
}

async function timeAsync(fn: () => Promise<void>): Promise<number> {
  const start = cpuSeconds();
  await fn();
  return cpuSeconds() - start;
}

const fmt = (x: number): string => `${x.toFixed(0).padStart(6)}x realtime`;
console.log('Speeds are audio seconds per CPU second of the (single) benchmark thread.');

// --- FLAC decode: bundled files, ours vs @wasm-audio-decoders/flac, interleaved ---
const bundled = flacFiles(defaultCorpusDir).map((path) => readFileSync(path));
const bundledSeconds = bundled.reduce((sum, bytes) => {
  const audio = decodeAudio(bytes);
  return sum + audio.channels[0]!.length / audio.sampleRate;
}, 0);
const wasm = new FLACDecoder();
await wasm.ready;
const ours: number[] = [];
const theirs: number[] = [];
for (let r = 0; r < rounds; r++) {
  ours.push(time(() => bundled.forEach((bytes) => decodeAudio(bytes))));
  theirs.push(
    await timeAsync(async () => {
      for (const bytes of bundled) {
        await wasm.decodeFile(bytes);
      }
    }),
  );
}
wasm.free();
console.log(
  `FLAC decode, ${bundled.length} bundled files (${bundledSeconds.toFixed(1)} s, 16 kHz mono 16-bit), median of ${rounds}:`,
);
console.log(`  @asrq/audio decodeAudio          ${fmt(bundledSeconds / median(ours))}`);
console.log(`  @wasm-audio-decoders/flac 0.2.11 ${fmt(bundledSeconds / median(theirs))}`);
console.log(`  ratio ours/wasm speed: ${(median(theirs) / median(ours)).toFixed(2)}`);

// --- readAudio: file to 16 kHz mono, as transcribe and bench read each utterance (wall time) ---
const bundledPaths = flacFiles(defaultCorpusDir);
const reads: number[] = [];
for (let r = 0; r < rounds; r++) {
  const start = performance.now();
  for (const path of bundledPaths) await readAudio(path);
  reads.push((performance.now() - start) / 1000);
}
console.log(`  @asrq/audio readAudio (file to 16 kHz mono, wall time) ${fmt(bundledSeconds / median(reads))}`);

// --- FLAC decode: 10-minute files, encoded by the reference encoder ---
const flacTool = spawnSync('sh', ['-c', 'command -v flac']).status === 0;
const shared = '/work/shared/fixtures/corpus/dev';
const speechSource = existsSync(shared)
  ? flacFiles(shared)
      .slice(0, 200)
      .map((p) => readFileSync(p))
  : bundled;
const speech: Float32Array[] = speechSource.map((bytes) => downmix(decodeAudio(bytes)));
const tenMinutes16k = new Float32Array(600 * 16000);
for (let at = 0, i = 0; at < tenMinutes16k.length; i++) {
  const part = speech[i % speech.length]!.subarray(0, tenMinutes16k.length - at);
  tenMinutes16k.set(part, at);
  at += part.length;
}
if (flacTool) {
  const dir = mkdtempSync(join(tmpdir(), 'asrq-audio-bench-'));
  try {
    const stereo44 = resample(tenMinutes16k, 16000, 44100);
    const right = stereo44.map((v, i) => 0.7 * v + 0.3 * (stereo44[i + 100] ?? 0));
    const inputs: [string, Float32Array[], number][] = [
      ['16 kHz mono 16-bit', [tenMinutes16k], 16000],
      ['44.1 kHz stereo 16-bit', [stereo44, right], 44100],
    ];
    for (const [label, channels, rate] of inputs) {
      const wav = join(dir, 'long.wav');
      writeFileSync(wav, encodeWav(channels, rate, { bitsPerSample: 16 }));
      spawnSync('flac', ['-s', '-f', '-5', '-o', join(dir, 'long.flac'), wav]);
      const bytes = readFileSync(join(dir, 'long.flac'));
      const runs: number[] = [];
      for (let r = 0; r < Math.min(rounds, 3); r++) runs.push(time(() => decodeAudio(bytes)));
      console.log(
        `FLAC decode, 10-minute file, ${label} (flac -5, ${(bytes.length / 1e6).toFixed(1)} MB): ${fmt(600 / median(runs))}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  console.log('FLAC decode, 10-minute file: skipped (the flac tool, which encodes the test file, is not installed)');
}

// --- Resampling: 60 s of speech, default and high quality interleaved ---
const minute16k = tenMinutes16k.subarray(0, 60 * 16000);
const sources: [number, Float32Array][] = [
  [44100, resample(minute16k, 16000, 44100, { quality: 'high' })],
  [8000, resample(minute16k, 16000, 8000, { quality: 'high' })],
  [48000, resample(minute16k, 16000, 48000, { quality: 'high' })],
];
console.log(`Resampling to 16 kHz, 60 s of speech, median of ${rounds}:`);
for (const [from, input] of sources) {
  const runs = { default: [] as number[], high: [] as number[], js: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    runs.default.push(time(() => resample(input, from, 16000)));
    runs.high.push(time(() => resample(input, from, 16000, { quality: 'high' })));
    useSimdResampler(false);
    runs.js.push(time(() => resample(input, from, 16000)));
    useSimdResampler(true);
  }
  console.log(
    `  ${String(from).padStart(5)} -> 16000  default ${fmt(60 / median(runs.default))}   high ${fmt(60 / median(runs.high))}   default, JS fallback ${fmt(60 / median(runs.js))}`,
  );
}
