import { mkdir } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { writeFileAtomic } from '@asrq/core/node';
import { loadArpa } from '@asrq/ctc';
import { defaultModelPath } from '@asrq/fixtures';
import { CtcModel, defaultBeamWidth, loadModelTokenizer, Transcriber } from '@asrq/runtime';
import { Option, type Command } from 'commander';
import { usageError } from '../exit-codes.js';
import { addChunkOptions, chunkOptions, type ChunkFlags } from '../chunk-options.js';
import { addDecodeOptions, resolveDecodeFlags, type DecodeFlags } from '../decode-options.js';
import { addModelOverrideOptions, modelOverrides, type ModelOverrideFlags } from '../model-options.js';
import { decimal, integer } from '../options.js';
import { print } from '../output.js';
import { FORMATS, render, type Format } from '../transcribe/formats.js';
import { expandAudioInputs, outputPath } from '../transcribe/inputs.js';
import { CliError } from '../errors.js';

interface TranscribeFlags extends ModelOverrideFlags, ChunkFlags, DecodeFlags {
  model?: string;
  tokenizer?: string;
  beam?: number;
  lm?: string;
  threads: number;
  timestamps?: boolean;
  json?: boolean;
  format?: Format;
  outDir?: string;
  nbest?: number;
}

/** Registers `asrq transcribe`. */
export function registerTranscribe(program: Command): void {
  const command = program
    .command('transcribe')
    .description('Transcribe audio files (WAV or FLAC, any rate, mono or multi-channel): files, directories (searched recursively) or quoted globs')
    .argument('<audio...>', 'audio files, directories or globs (e.g. "calls/**/*.flac")')
    .option('--model <path>', 'ONNX CTC model (default: the bundled model)')
    .option('--tokenizer <path>', 'tokenizer (default: found beside the model)')
    .option('--beam <width>', 'CTC beam width (default: 1 = greedy, or 32 with --lm, --hotword or --nbest)', integer(1))
    .option('--lm <file>', 'n-gram LM for beam search: ARPA (.arpa, .arpa.gz) or compiled (asrq lm compile)')
    .option('--alpha <weight>', 'LM weight', decimal())
    .option('--beta <bonus>', 'word insertion bonus', decimal())
    .option('--threads <count>', 'onnxruntime intra-op threads', integer(1), 1)
    .addOption(new Option('--format <format>', 'output format: txt, json (JSON lines), srt, vtt (subtitles cut at pauses and line length), ctm (NIST: file channel start duration word)').choices(FORMATS))
    .option('--out-dir <dir>', 'write one <name>.<format> per input here (directory inputs keep their subfolders) instead of printing')
    .option('--nbest <n>', 'keep the n best hypotheses; JSON output lists them with scores (txt prints the alternatives)', integer(1))
    .option('--timestamps', 'with txt output: print word start/end times')
    .option('--json', 'same as --format json');
  addModelOverrideOptions(addChunkOptions(addDecodeOptions(command)))
    .action(async (args: string[], flags: TranscribeFlags) => {
      if (args.length === 0) throw usageError('Give at least one audio file to transcribe.');
      if (flags.json && flags.format && flags.format !== 'json') throw usageError(`--json conflicts with --format ${flags.format}; give one of them.`);
      const format: Format = flags.format ?? (flags.json ? 'json' : 'txt');
      const inputs = await expandAudioInputs(args);
      if (!flags.outDir && (format === 'srt' || format === 'vtt') && inputs.length > 1) {
        throw usageError(`${inputs.length} inputs would print ${format} subtitles one after another; pass --out-dir <dir> to get one file per input.`);
      }
      const decode = await resolveDecodeFlags(flags);
      const modelPath = resolve(flags.model ?? defaultModelPath);
      const overrides = modelOverrides(flags);
      const model = await CtcModel.load(modelPath, { session: { threads: flags.threads }, ...(overrides ? { overrides } : {}) });
      try {
        const tokenizer = await loadModelTokenizer(model, flags.tokenizer ? { tokenizer: resolve(flags.tokenizer) } : {});
        // Hotwords match the model's output exactly; a lower-case phrase can never match an upper-case model.
        if (decode.hotwords && !tokenizer.pieces.some((piece) => /[a-z]/.test(piece) && !/^<.*>$/.test(piece))) {
          for (const phrase of decode.hotwords.filter((h) => /[a-z]/.test(h))) process.stderr.write(`warning: hotword "${phrase}" has lower-case letters but this model writes upper case only; it can never match. Write it as "${phrase.toUpperCase()}".\n`);
        }
        const lm = flags.lm ? await loadArpa(resolve(flags.lm)) : undefined;
        const needsBeam = lm !== undefined || decode.hotwords !== undefined || (flags.nbest ?? 1) > 1;
        const transcriber = new Transcriber(model, tokenizer, {
          beamWidth: flags.beam ?? defaultBeamWidth(needsBeam),
          ...chunkOptions(flags),
          ...(lm ? { lm } : {}),
          ...decode,
          ...(flags.nbest === undefined ? {} : { nBest: flags.nbest }),
        });
        const outDir = flags.outDir ? resolve(flags.outDir) : undefined;
        const failures: string[] = [];
        for (const input of inputs) {
          try {
            const result = await transcriber.transcribeFile(input.path);
            const text = render(format, result, {
              display: input.display,
              recordingId: basename(input.outputStem),
              timestamps: Boolean(flags.timestamps),
              label: inputs.length > 1 && !outDir,
            });
            if (outDir) {
              const path = outputPath(outDir, input, format === 'json' ? 'json' : format);
              await mkdir(dirname(path), { recursive: true });
              await writeFileAtomic(path, text);
            } else if (text.length > 0) process.stdout.write(text);
          } catch (error) {
            // One bad file among several is reported and the rest still transcribed.
            if (inputs.length === 1) throw error;
            const message = error instanceof Error ? error.message : String(error);
            failures.push(input.display);
            process.stderr.write(`error: ${input.display}: ${message}\n`);
          }
        }
        if (outDir) print(outDir);
        if (failures.length > 0) {
          throw new CliError('CLI_SOME_INPUTS_FAILED', `${failures.length} of ${inputs.length} inputs failed (${failures.slice(0, 5).join(', ')}${failures.length > 5 ? ', ...' : ''}); the others were transcribed. See the errors above.`);
        }
      } finally {
        await model.release();
      }
    });
}
