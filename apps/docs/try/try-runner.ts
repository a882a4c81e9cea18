import { scoreCorpus } from '@asrq/metrics';
import type { NgramLM, Tokenizer } from '@asrq/ctc/browser';
import {
  configureWasm,
  createDecoder,
  decodeAudioBytes,
  defaultBeamWidth,
  forwardLong,
  lmFromBytes,
  tokenizerFromBytes,
  WebCtcModel,
} from '@asrq/runtime/browser';
import { fetchBytes } from './fetch-bytes';

/** public/try/manifest.json, written by scripts/try-assets.ts at build time. */
export interface TryManifest {
  models: {
    float: { file: string; bytes: number };
    int8: { file: string; bytes: number; plan: string; sqnrDb: Record<string, number> };
  };
  tokenizer: string;
  lm: { file: string; bytes: number };
  /** onnxruntime-web's files (its WebAssembly binary and loader): their folder and total size. */
  ort: { version: string; dir: string; bytes: number };
  /** Everything a first load fetches: both models, onnxruntime-web, the tokenizer, the LM, the utterances. */
  downloadBytes: number;
  utterances: { id: string; file: string; reference: string }[];
}

/** How log-probs become text on the page. */
export type DecodeMode = 'greedy' | 'beam' | 'beam-lm';

/** One model's result on one clip. */
export interface ModelRun {
  label: 'float' | 'int8';
  bytes: number;
  loadSec: number;
  /** Median `session.run` time over the repeats, in seconds. */
  encoderSec: number;
  encoderRuns: number[];
  rtf: number;
  /** float encoder time / this model's (1 for float). */
  speedup: number;
  text: string;
  /** WER in percent against the reference, when the clip has one. */
  wer?: number;
}

/** Progress of the lazy load, in bytes over every file it fetches. */
export interface LoadProgress {
  received: number;
  total: number;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * The page's engine: fetches the two models, tokenizer, LM and bundled utterances once (then
 * everything runs offline), and compares float and int8 on a clip, interleaved.
 */
export class TryRunner {
  readonly manifest: TryManifest;
  readonly base: string;
  readonly threads: number;
  private models: { float: WebCtcModel; int8: WebCtcModel } | undefined;
  private tokenizer: Tokenizer | undefined;
  private lmBytes: Uint8Array | undefined;
  private lm: NgramLM | undefined;
  private readonly clips = new Map<string, Uint8Array>();

  private constructor(manifest: TryManifest, base: string, threads: number) {
    this.manifest = manifest;
    this.base = base;
    this.threads = threads;
  }

  /**
   * Reads the manifest and configures onnxruntime-web (its files from this origin).
   * @param base - Absolute URL of the try/ folder, ending in `/`.
   * @param threads - WebAssembly threads (more than 1 only takes effect when cross-origin isolated).
   */
  static async create(base: string, threads: number): Promise<TryRunner> {
    const manifest = JSON.parse(new TextDecoder().decode(await fetchBytes(`${base}manifest.json`))) as TryManifest;
    configureWasm({ wasmPaths: new URL(manifest.ort.dir, base).href, threads });
    return new TryRunner(manifest, base, threads);
  }

  /** Whether the models are loaded. */
  get loaded(): boolean {
    return this.models !== undefined;
  }

  /**
   * Fetches and loads everything the page needs, reporting bytes received; then warms each model
   * up once on a bundled utterance (the first run of a session is slower).
   * @param onProgress - Receives the bytes received over the total.
   */
  async load(onProgress: (p: LoadProgress) => void): Promise<void> {
    if (this.models) return;
    const m = this.manifest;
    const clipBytes = 400_000; // the utterances are small; counted roughly
    const total = m.models.float.bytes + m.models.int8.bytes + m.lm.bytes + clipBytes;
    const received = new Map<string, number>();
    const tick = (key: string) => (n: number) => {
      received.set(key, n);
      onProgress({
        received: Math.min(
          total,
          [...received.values()].reduce((a, b) => a + b, 0),
        ),
        total,
      });
    };
    const [floatBytes, int8Bytes, tokenizerBytes, lmBytes] = await Promise.all([
      fetchBytes(this.base + m.models.float.file, tick('float')),
      fetchBytes(this.base + m.models.int8.file, tick('int8')),
      fetchBytes(this.base + m.tokenizer, tick('tokenizer')),
      fetchBytes(this.base + m.lm.file, tick('lm')),
      ...m.utterances.map(async (u) => this.clips.set(u.id, await fetchBytes(this.base + u.file, tick(u.id)))),
    ]);
    onProgress({ received: total, total });
    const float = await WebCtcModel.load(floatBytes, { name: m.models.float.file });
    const int8 = await WebCtcModel.load(int8Bytes, { name: m.models.int8.file });
    this.tokenizer = tokenizerFromBytes(tokenizerBytes, float.info);
    this.lmBytes = lmBytes;
    this.models = { float, int8 };
    const warm = this.decodeClip(m.utterances[0]!.id);
    await float.forward([warm]);
    await int8.forward([warm]);
  }

  /**
   * A bundled utterance's samples at the model's rate (fetched during {@link TryRunner.load}).
   * @param id - Utterance id.
   */
  decodeClip(id: string): Float32Array {
    const bytes = this.clips.get(id);
    if (!bytes) throw new Error(`Utterance ${id} is not loaded.`);
    return decodeAudioBytes(bytes, this.models?.float.info.sampleRate ?? 16000, `${id}.flac`);
  }

  /**
   * Decodes a dropped WAV/FLAC file at the model's rate.
   * @param bytes - The file.
   * @param name - Its name, for messages.
   */
  decodeFile(bytes: Uint8Array, name: string): Float32Array {
    return decodeAudioBytes(bytes, this.models?.float.info.sampleRate ?? 16000, name);
  }

  /**
   * Runs both models on a clip, interleaved (float, int8, float, int8, ...), and decodes each
   * model's last output.
   * @param audio - Samples at the model's rate.
   * @param mode - Greedy, beam, or beam with the bundled LM.
   * @param reference - The reference transcript, for WER.
   * @param repeats - Runs per model; the median encoder time is reported.
   */
  async compare(
    audio: Float32Array,
    mode: DecodeMode,
    reference: string | undefined,
    repeats = 3,
  ): Promise<ModelRun[]> {
    if (!this.models || !this.tokenizer) throw new Error('Load the models first.');
    if (mode === 'beam-lm' && !this.lm) this.lm = await lmFromBytes(this.lmBytes!, this.manifest.lm.file);
    const decode = createDecoder(
      this.tokenizer,
      mode === 'greedy' ? { beamWidth: 1 } : mode === 'beam' ? { beamWidth: defaultBeamWidth(true) } : { lm: this.lm! },
    );
    const labels = ['float', 'int8'] as const;
    const times: Record<(typeof labels)[number], number[]> = { float: [], int8: [] };
    const texts: Record<(typeof labels)[number], string> = { float: '', int8: '' };
    for (let r = 0; r < repeats; r++) {
      for (const label of labels) {
        // Long files go through windows and very short clips are padded, as the CLI does.
        const { logProbs, encoderSec } = await forwardLong(this.models[label], audio);
        times[label].push(encoderSec);
        if (r === repeats - 1) texts[label] = decode(logProbs).text;
      }
    }
    const audioSec = audio.length / this.models.float.info.sampleRate;
    const floatMedian = median(times.float);
    return labels.map((label) => {
      const encoderSec = median(times[label]);
      const run: ModelRun = {
        label,
        bytes: this.models![label].sizeBytes,
        loadSec: this.models![label].loadSec,
        encoderSec,
        encoderRuns: times[label],
        rtf: encoderSec / audioSec,
        speedup: floatMedian / encoderSec,
        text: texts[label],
      };
      if (reference !== undefined)
        run.wer = scoreCorpus([{ id: 'clip', ref: reference, hyp: texts[label] }], {
          alignments: false,
        }).total.errorRate;
      return run;
    });
  }
}
