/**
 * Long-audio benchmark: builds a 10-minute 16 kHz WAV by concatenating corpus utterances,
 * transcribes it with the bundled model in a child process (default chunking: 30 s windows,
 * 5 s context each side) and prints that process's peak RSS and wall time, then the WER of the
 * long file against the concatenated references next to the pooled per-utterance WER of the same
 * utterances (same model, greedy decoding, scored by @asrq/metrics).
 *
 *   pnpm --filter @asrq/runtime exec tsx --conditions=@asrq/source bench/long-audio.ts [--minutes 10] [--chunk-sec 30] [--stride-sec 5]
 *
 * Corpus: ../shared/fixtures/corpus/dev when present (utterances taken in id order), else the
 * bundled dev-mini repeated; the output says which. Targets from issue 12: peak RSS under 1.5 GB,
 * long-file WER within 2 points of the per-utterance WER.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { encodeWav, openCorpus, readAudio, type CorpusItem } from '@asrq/audio';
import { loadTokenizer } from '@asrq/ctc';
import { defaultCorpusDir, defaultModelPath, defaultTokenizerPath } from '@asrq/fixtures';
import { scoreCorpus } from '@asrq/metrics';
import { CtcModel, Transcriber } from '../src/index.js';

const rate = 16000;

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

/** VmHWM from /proc when there is one (Linux), else the kernel's maxRSS; in bytes. */
function peakRssBytes(): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // Not Linux.
  }
  return process.resourceUsage().maxRSS * 1024;
}

const chunking = { chunkSec: argument('--chunk-sec', 30), strideSec: argument('--stride-sec', 5) };

/** Child mode: transcribe one file and report; nothing else runs in this process. */
async function child(wav: string): Promise<void> {
  const started = performance.now();
  const model = await CtcModel.load(defaultModelPath);
  const transcriber = new Transcriber(model, await loadTokenizer(defaultTokenizerPath), chunking);
  const result = await transcriber.transcribeFile(wav);
  const wallSec = (performance.now() - started) / 1000;
  await model.release();
  process.stdout.write(
    JSON.stringify({
      text: result.text,
      audioSec: result.audioSec,
      encoderSec: result.encoderSec,
      decodeSec: result.decodeSec,
      wallSec,
      peakRssBytes: peakRssBytes(),
      lastWord: result.words.at(-1),
    }),
  );
}

async function main(): Promise<void> {
  const minutes = argument('--minutes', 10);
  const shared = resolve(fileURLToPath(new URL('../../../../shared/fixtures/corpus/dev', import.meta.url)));
  const useShared = existsSync(shared);
  const corpus = await openCorpus(useShared ? shared : defaultCorpusDir);
  const sorted = [...corpus.items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  // Whole utterances, in id order (cycling through dev-mini when it is the source), up to the length asked.
  const target = minutes * 60 * rate;
  const chosen: { item: CorpusItem; id: string; audio: Float32Array }[] = [];
  let length = 0;
  for (let round = 0; length < target; round++) {
    for (const item of sorted) {
      if (length >= target) break;
      const audio = await readAudio(item.audioPath, { sampleRate: rate });
      chosen.push({ item, id: round === 0 ? item.id : `${item.id}#${round}`, audio });
      length += audio.length;
    }
  }
  const long = new Float32Array(length);
  let at = 0;
  for (const c of chosen) {
    long.set(c.audio, at);
    at += c.audio.length;
  }
  const dir = mkdtempSync(join(tmpdir(), 'asrq-long-'));
  const wav = join(dir, 'long.wav');
  writeFileSync(wav, encodeWav([long], rate));

  console.log(
    `corpus: ${useShared ? `${shared} (project dev set)` : `${defaultCorpusDir} (bundled dev-mini, repeated)`}`,
  );
  console.log(
    `long file: ${chosen.length} utterances, ${(length / rate / 60).toFixed(2)} min, 16 kHz 16-bit WAV (${((length * 2) / 1e6).toFixed(1)} MB)`,
  );
  console.log(
    `chunking: ${chunking.chunkSec} s windows, ${chunking.strideSec} s context each side; model ${defaultModelPath}, greedy, 1 thread`,
  );
  console.log(
    `machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (before)`,
  );

  // The long file in a fresh process, so its peak RSS is the transcription's alone.
  const self = fileURLToPath(import.meta.url);
  const run = spawnSync(
    process.execPath,
    [
      ...process.execArgv,
      self,
      '--child',
      wav,
      '--chunk-sec',
      String(chunking.chunkSec),
      '--stride-sec',
      String(chunking.strideSec),
    ],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  if (run.status !== 0) throw new Error(`child failed (status ${run.status}): ${run.stderr}`);
  const longResult = JSON.parse(run.stdout) as {
    text: string;
    audioSec: number;
    encoderSec: number;
    decodeSec: number;
    wallSec: number;
    peakRssBytes: number;
    lastWord?: { word: string; startSec: number; endSec: number };
  };
  rmSync(dir, { recursive: true, force: true });

  // Per utterance, same model and decoding.
  const model = await CtcModel.load(defaultModelPath);
  const transcriber = new Transcriber(model, await loadTokenizer(defaultTokenizerPath), chunking);
  const perUtterance = [];
  const started = performance.now();
  for (const c of chosen)
    perUtterance.push({ id: c.id, ref: c.item.transcript, hyp: (await transcriber.transcribe(c.audio)).text });
  const perUtteranceSec = (performance.now() - started) / 1000;
  await model.release();

  const references = chosen.map((c) => c.item.transcript).join(' ');
  const longScore = scoreCorpus([{ id: 'long', ref: references, hyp: longResult.text }], { alignments: false }).total;
  const uttScore = scoreCorpus(perUtterance, { alignments: false }).total;
  const gb = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(2)} GiB`;
  console.log('');
  console.log(
    `long file:      peak RSS ${gb(longResult.peakRssBytes)} (VmHWM of the transcribing process), wall ${longResult.wallSec.toFixed(1)} s (load + read + encode + decode), encoder ${longResult.encoderSec.toFixed(1)} s, decode ${longResult.decodeSec.toFixed(2)} s`,
  );
  console.log(
    `                last word "${longResult.lastWord?.word ?? ''}" at ${longResult.lastWord?.startSec.toFixed(2) ?? '?'}-${longResult.lastWord?.endSec.toFixed(2) ?? '?'} s of ${longResult.audioSec.toFixed(2)} s`,
  );
  console.log(
    `WER long file:       ${longScore.errorRate.toFixed(2)} % (${longScore.substitutions + longScore.deletions + longScore.insertions} errors / ${longScore.refCount} words)`,
  );
  console.log(
    `WER per utterance:   ${uttScore.errorRate.toFixed(2)} % (${uttScore.substitutions + uttScore.deletions + uttScore.insertions} errors / ${uttScore.refCount} words), ${perUtteranceSec.toFixed(1)} s for ${chosen.length} utterances`,
  );
  console.log(
    `difference:          ${(longScore.errorRate - uttScore.errorRate).toFixed(2)} points (target: within 2); peak RSS target 1.5 GB: ${longResult.peakRssBytes < 1.5e9 ? 'met' : 'NOT met'}`,
  );
  console.log(
    `load average after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  try {
    console.log(`git: ${execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()}`);
  } catch {
    // Not a checkout.
  }
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) await child(process.argv[childAt + 1]!);
else await main();
