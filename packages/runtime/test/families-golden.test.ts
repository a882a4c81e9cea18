import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readAudio } from '@asrq/audio';
import type { LogProbs } from '@asrq/ctc';
import { defaultCorpusDir, defaultModelPath } from '@asrq/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CtcModel } from '../src/ctc-model.js';
import type { ModelInfoOverrides } from '../src/types.js';

// End to end: every tiny zoo family is loaded with no overrides, fed a clip, and its log-probs
// are compared with what the family's own pipeline (transformers, NeMo, sherpa-onnx) gives for
// the same clip: golden values from scripts/golden/families.py (reference front ends in
// torch/torchaudio, the model in onnxruntime's Python package). See that script's docstring for
// each pipeline.

/** One row of golden log-probs: `frames * vocab` floats at `offset` in golden.f32. */
interface Row {
  clip: string;
  frames: number;
  vocab: number;
  offset: number;
}
interface ClipEntry extends Row {
  pipeline: string;
  inputShape: number[];
  outputFrames?: number;
  sherpaDecodedFrames?: number;
  variant?: { what: string; inputFrames: number; offset: number };
}
interface Manifest {
  clips: { name: string; path: string; start: number; samples: number }[];
  families: { family: string; clips: ClipEntry[] }[];
  batches: { family: string; pipeline: string; rows: Row[] }[];
}

const goldenDir = fileURLToPath(new URL('./fixtures/families-golden/', import.meta.url));
const manifest = JSON.parse(readFileSync(join(goldenDir, 'golden.json'), 'utf8')) as Manifest;
const blob = readFileSync(join(goldenDir, 'golden.f32'));
const golden = new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
const zooDir = join(dirname(defaultModelPath), '..', 'zoo');

/**
 * Max abs difference allowed between asrq's log-probs and the golden ones. Observed on this
 * machine: at most 1.1e-5 over all 9 families and both clips (HF 2e-6, QuartzNet 5e-7,
 * Conformer 7e-6, sherpa NeMo 1.1e-5, Zipformer 6e-6, SenseVoice 6.2e-6, WeNet 7.6e-6, single
 * clips and batches alike). asrq's front ends differ from
 * torch/torchaudio by float32 rounding (~1e-5 on normalised features), and the random-weights
 * models pass that on at roughly its size; onnxruntime-node and the Python wheel run the same
 * kernels. 1e-4 leaves 9x margin over what was seen and is still 5x below the smallest
 * deliberate mistake measured below (a hamming instead of a hann window on QuartzNet: 5.4e-4);
 * skipping hf-normalize on the group-norm wav2vec2-base, whose first GroupNorm undoes most of
 * the scaling, moves log-probs by 1e-2 to 3e-2.
 */
const TOLERANCE = 1e-4;

/** The front end discovery must choose for each family, and where it must say it came from. */
const EXPECTED: Record<string, { name: string; source: RegExp; layout?: 'BTF' | 'BFT'; mask?: boolean }> = {
  'hf-wav2vec2-base': {
    name: 'hf-normalize',
    source: /^preprocessor_config\.json \(.*hf-wav2vec2-base\/preprocessor_config\.json\)$/,
    mask: false,
  },
  'hf-wav2vec2-large-lv60': {
    name: 'hf-normalize',
    source: /^preprocessor_config\.json \(.*hf-wav2vec2-large-lv60\/preprocessor_config\.json\)$/,
    mask: true,
  },
  'hf-hubert': {
    name: 'hf-normalize',
    source: /^preprocessor_config\.json \(.*hf-hubert\/preprocessor_config\.json\)$/,
    mask: false,
  },
  'nemo-conformer-ctc': {
    name: 'nemo-mel',
    source: /^model_config\.yaml preprocessor \(.*nemo-conformer-ctc\/model_config\.yaml\)$/,
    layout: 'BFT',
  },
  'nemo-quartznet': {
    name: 'nemo-mel',
    source: /^model_config\.yaml preprocessor \(.*nemo-quartznet\/model_config\.yaml\)$/,
    layout: 'BFT',
  },
  'sherpa-nemo-ctc': { name: 'kaldi-fbank', source: /^ONNX metadata \(sherpa-onnx keys\)$/, layout: 'BFT' },
  'sherpa-zipformer-ctc': { name: 'kaldi-fbank', source: /^ONNX metadata \(sherpa-onnx keys\)$/, layout: 'BTF' },
  'sherpa-sense-voice': {
    name: 'funasr-fbank',
    source: /^ONNX metadata \(sherpa-onnx SenseVoice keys\)$/,
    layout: 'BTF',
  },
  'sherpa-wenet-ctc': { name: 'kaldi-fbank', source: /^ONNX metadata \(sherpa-onnx keys\)$/, layout: 'BTF' },
};

/**
 * A known difference from the family's pipeline, pinned exactly: per row, the frames asrq
 * returns and how many leading frames still match within TOLERANCE (those after them, up to the
 * golden count, must differ by more than 0.01). The plain golden check of these runs as
 * `it.fails`, so the day the runtime is fixed these tests fail and the entry must be removed.
 */
interface Known {
  why: string;
  frames: number[];
  close: number[];
}

// None today. This check found four, all fixed in the runtime: NeMo's extra masked STFT frame
// (FrontEnd.tensorFrameCount), QuartzNet's pad_to output frames and a padded row's frame count
// (learned output-length arithmetic for exports without a lengths output), and icefall's
// log(1e-10) batch padding (kaldi-fbank padValue).
const KNOWN_CLIP: Record<string, Known> = {};
const KNOWN_BATCH: Record<string, Known> = {};

/** Largest |actual - golden| over frames [from, to), and the frame where it is. */
function maxAbsDiff(
  actual: LogProbs,
  row: Row,
  from = 0,
  to = Math.min(actual.frames, row.frames),
): { max: number; frame: number } {
  let max = 0;
  let frame = -1;
  for (let i = from * row.vocab; i < to * row.vocab; i++) {
    const d = Math.abs(actual.data[i]! - golden[row.offset + i]!);
    if (!(d <= max)) {
      max = d;
      frame = Math.floor(i / row.vocab);
    }
  }
  return { max, frame };
}

function expectGolden(actual: LogProbs, row: Row, pipeline: string): void {
  expect(actual.vocab).toBe(row.vocab);
  expect(actual.frames, `${row.clip}: frames decoded`).toBe(row.frames);
  const { max, frame } = maxAbsDiff(actual, row);
  expect(max, `${row.clip}: max |asrq - golden| (at frame ${frame}); pipeline: ${pipeline}`).toBeLessThan(TOLERANCE);
}

function expectKnown(actual: readonly LogProbs[], rows: readonly Row[], known: Known): void {
  rows.forEach((row, i) => {
    const got = actual[i]!;
    expect(got.frames, `${row.clip}: frames`).toBe(known.frames[i]);
    const close = known.close[i]!;
    expect(maxAbsDiff(got, row, 0, close).max, `${row.clip}: first ${close} frames`).toBeLessThan(TOLERANCE);
    const compared = Math.min(got.frames, row.frames);
    if (close < compared)
      expect(
        maxAbsDiff(got, row, close, compared).max,
        `${row.clip}: frames ${close}..${compared - 1}`,
      ).toBeGreaterThan(0.01);
  });
}

const audioCache = new Map<string, Promise<Float32Array>>();
async function clipAudio(name: string, sampleRate: number): Promise<Float32Array> {
  const clip = manifest.clips.find((c) => c.name === name)!;
  const key = `${clip.path}@${sampleRate}`;
  if (!audioCache.has(key)) audioCache.set(key, readAudio(join(defaultCorpusDir, clip.path), { sampleRate }));
  return (await audioCache.get(key)!).subarray(clip.start, clip.start + clip.samples);
}

async function forwardClips(model: CtcModel, clips: readonly string[]): Promise<LogProbs[]> {
  const audio = await Promise.all(clips.map((clip) => clipAudio(clip, model.info.sampleRate)));
  return (await model.forward(audio)).logProbs;
}

const familyOf = (name: string) => manifest.families.find((f) => f.family === name)!;
const modelPath = (family: string) => join(zooDir, family, 'model.onnx');

describe('golden fixtures', () => {
  it('cover every family with expectations, two clips each', () => {
    expect(manifest.families.map((f) => f.family).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const f of manifest.families) expect(f.clips.map((c) => c.clip)).toEqual(manifest.clips.map((c) => c.name));
  });
  // A family added to the zoo later needs a pipeline in scripts/golden/families.py, a re-run and an EXPECTED entry.
  for (const folder of readdirSync(zooDir, { withFileTypes: true })) {
    if (folder.isDirectory() && !EXPECTED[folder.name])
      it.todo(`${folder.name}: no golden yet (add it to scripts/golden/families.py and EXPECTED)`);
  }
});

for (const { family, clips } of manifest.families) {
  describe(family, () => {
    let model: CtcModel;
    beforeAll(async () => {
      model = await CtcModel.load(modelPath(family));
    });
    afterAll(() => model?.release());

    const expected = EXPECTED[family]!;
    it(`discovers ${expected.name} from its own files`, () => {
      expect(model.info.frontEnd.name).toBe(expected.name);
      expect(model.info.frontEndSource).toMatch(expected.source);
      if (expected.layout) expect(model.info.featuresLayout).toBe(expected.layout);
      if (expected.mask !== undefined) expect(model.info.maskInput !== undefined).toBe(expected.mask);
    });

    for (const entry of clips) {
      const known = KNOWN_CLIP[`${family}/${entry.clip}`];
      const title = `${entry.clip}: log-probs equal the family pipeline's within ${TOLERANCE}`;
      const check = async () => expectGolden((await forwardClips(model, [entry.clip]))[0]!, entry, entry.pipeline);
      if (!known) {
        it(title, check);
        continue;
      }
      it.fails(`${title} (known difference: ${known.why})`, check);
      it(`${entry.clip}: the known difference is exactly: ${known.why}`, async () => {
        const actual = await forwardClips(model, [entry.clip]);
        expectKnown(actual, [entry], known);
        // asrq equals the same model fed without NeMo's masked frame, stored by the script for this case.
        if (entry.variant)
          expect(maxAbsDiff(actual[0]!, { ...entry, offset: entry.variant.offset }).max).toBeLessThan(TOLERANCE);
      });
    }

    const batch = manifest.batches.find((b) => b.family === family);
    if (batch) {
      const known = KNOWN_BATCH[family];
      const title = `a batch of both clips gives every row the pipeline's log-probs (${batch.pipeline})`;
      const check = async () => {
        const actual = await forwardClips(
          model,
          batch.rows.map((r) => r.clip),
        );
        batch.rows.forEach((row, i) => expectGolden(actual[i]!, row, batch.pipeline));
      };
      if (!known) {
        it(title, check);
      } else {
        it.fails(`${title} (known difference: ${known.why})`, check);
        it(`a batch of both clips: the known difference is exactly: ${known.why}`, async () => {
          expectKnown(
            await forwardClips(
              model,
              batch.rows.map((r) => r.clip),
            ),
            batch.rows,
            known,
          );
        });
      }
    }
  });
}

/**
 * Deliberate mistakes, each on the first clip: the golden comparison must see every one of them.
 * `atLeast` is the max abs difference each must reach, about half of what was observed (in
 * brackets), so the check does not hinge on the exact random weights.
 */
const MISTAKES: { family: string; what: string; overrides: ModelInfoOverrides; atLeast: number }[] = [
  {
    family: 'hf-wav2vec2-large-lv60',
    what: 'raw samples instead of hf-normalize, layer-norm extractor [1.88]',
    overrides: { frontEnd: { name: 'raw' } },
    atLeast: 0.5,
  },
  {
    family: 'hf-wav2vec2-base',
    what: 'raw samples instead of hf-normalize, group-norm extractor [0.030]',
    overrides: { frontEnd: { name: 'raw' } },
    atLeast: 0.01,
  },
  {
    family: 'nemo-conformer-ctc',
    what: 'per_feature normalisation skipped [2.58]',
    overrides: { frontEnd: { config: { normalize: 'none' } } },
    atLeast: 0.5,
  },
  {
    family: 'nemo-conformer-ctc',
    what: 'the wrong front end, kaldi-fbank [2.57, 37 frames for 38]',
    overrides: { frontEnd: { name: 'kaldi-fbank' } },
    atLeast: 0.5,
  },
  {
    family: 'nemo-quartznet',
    what: 'a hamming window instead of hann [5.4e-4]',
    overrides: { frontEnd: { config: { window: 'hamming' } } },
    atLeast: 2.5e-4,
  },
  {
    family: 'sherpa-nemo-ctc',
    what: "NeMo's own nemo-mel instead of sherpa-onnx's fbank [1.02, 40 frames for 38]",
    overrides: { frontEnd: { name: 'nemo-mel' } },
    atLeast: 0.3,
  },
  {
    family: 'sherpa-zipformer-ctc',
    what: 'int16-range samples, sampleScale 32768 [3.79]',
    overrides: { frontEnd: { config: { sampleScale: 32768 } } },
    atLeast: 1,
  },
  {
    family: 'sherpa-zipformer-ctc',
    what: 'snip_edges true [0.33, 35 frames for 36]',
    overrides: { frontEnd: { config: { snipEdges: true } } },
    atLeast: 0.1,
  },
  {
    family: 'sherpa-sense-voice',
    what: 'CMVN from the metadata skipped [1.07]',
    overrides: { frontEnd: { config: { cmvnNegMean: null, cmvnInvStddev: null } } },
    atLeast: 0.5,
  },
  {
    family: 'sherpa-sense-voice',
    what: 'samples in [-1, 1] instead of int16 range (normalize_samples 1) [2.16]',
    overrides: { frontEnd: { config: { sampleScale: 1 } } },
    atLeast: 1,
  },
  {
    family: 'sherpa-sense-voice',
    what: 'a povey window instead of hamming [0.22]',
    overrides: { frontEnd: { config: { windowType: 'povey' } } },
    atLeast: 0.1,
  },
  {
    family: 'sherpa-sense-voice',
    what: 'the language prompt zh (3) instead of auto (0) [0.53]',
    overrides: { constantInputs: { language: 3 } },
    atLeast: 0.25,
  },
  {
    family: 'sherpa-wenet-ctc',
    what: 'samples in [-1, 1] instead of int16 range [2.12]',
    overrides: { frontEnd: { config: { sampleScale: 1 } } },
    atLeast: 1,
  },
  {
    family: 'sherpa-wenet-ctc',
    what: "WeNet's own training fbank (snip_edges true, up to Nyquist) instead of sherpa-onnx's [1.48]",
    overrides: { frontEnd: { config: { snipEdges: true, highFreq: 0 } } },
    atLeast: 0.5,
  },
];

describe('the golden check catches wrong feeding', () => {
  for (const { family, what, overrides, atLeast } of MISTAKES) {
    it(`${family}: ${what}`, async () => {
      const entry = familyOf(family).clips[0]!;
      const model = await CtcModel.load(modelPath(family), { overrides });
      try {
        const [actual] = await forwardClips(model, [entry.clip]);
        expect(maxAbsDiff(actual!, entry).max).toBeGreaterThan(Math.max(atLeast, 2 * TOLERANCE));
        expect(() => expectGolden(actual!, entry, entry.pipeline)).toThrow();
      } finally {
        await model.release();
      }
    });
  }

  it('nemo-conformer-ctc: transposed features ([B, T, F] for [B, F, T]) are refused by the static feature dimension', async () => {
    const model = await CtcModel.load(modelPath('nemo-conformer-ctc'), { overrides: { featuresLayout: 'BTF' } });
    try {
      await expect(forwardClips(model, [familyOf('nemo-conformer-ctc').clips[0]!.clip])).rejects.toThrow(
        /invalid dimensions/,
      );
    } finally {
      await model.release();
    }
  });
});
