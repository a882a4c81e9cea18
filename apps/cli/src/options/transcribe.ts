import { CTC_DEFAULTS } from '@asrq/ctc';
import { chunkOptionSpecs } from './chunk.js';
import { defineOptions, type FlagsOf } from './spec.js';
import { decodeOptions, lmOptions } from './decode.js';
import { modelOverrideOptions } from './model.js';
import { integer, LIMITS } from './parsers.js';
import { FORMATS } from '../transcribe/formats.js';

/** Every option of `asrq transcribe`, in help order. */
export const transcribeOptions = defineOptions({
  model: { flags: '--model <path>', description: 'ONNX CTC model (default: the bundled model)' },
  tokenizer: { flags: '--tokenizer <path>', description: 'tokenizer (default: found beside the model)' },
  beam: {
    flags: '--beam <width>',
    description: `CTC beam width (default: ${CTC_DEFAULTS.greedyBeamWidth} = greedy, or ${CTC_DEFAULTS.beamWidth} with --lm, --hotword or --nbest)`,
    parse: integer(1, LIMITS.beam),
  },
  ...lmOptions,
  threads: {
    flags: '--threads <count>',
    description: 'onnxruntime intra-op threads',
    parse: integer(1, LIMITS.threads),
    default: 1,
  },
  format: {
    flags: '--format <format>',
    description:
      'output format: txt, json (JSON lines), srt, vtt (subtitles cut at pauses and line length), ctm (NIST: file channel start duration word)',
    choices: FORMATS,
  },
  outDir: {
    flags: '--out-dir <dir>',
    description:
      'write one <name>.<format> per input here (directory inputs keep their subfolders) instead of printing',
  },
  nbest: {
    flags: '--nbest <n>',
    description: 'keep the n best hypotheses; JSON output lists them with scores (txt prints the alternatives)',
    parse: integer(1, 1000),
  },
  timestamps: { flags: '--timestamps', description: 'with txt output: print word start/end times' },
  json: { flags: '--json', description: 'same as --format json' },
  ...decodeOptions,
  ...chunkOptionSpecs,
  ...modelOverrideOptions,
});

/** The parsed flags of `asrq transcribe`. */
export type TranscribeFlags = FlagsOf<typeof transcribeOptions>;
