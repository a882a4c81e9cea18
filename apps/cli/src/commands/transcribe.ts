import { mkdir } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { AsrqError } from '@asrq/core';
import { writeFileAtomic } from '@asrq/core/node';
import { loadArpa } from '@asrq/ctc';
import { defaultModelPath } from '@asrq/fixtures';
import { CtcModel, loadModelTokenizer, Transcriber } from '@asrq/runtime';
import type { Command } from 'commander';
import { chunkOptions } from '../options/chunk.js';
import { addCommand } from '../options/spec.js';
import { assertWritableDir } from '../output-dirs.js';
import { resolveDecodeFlags, type ResolvedDecodeFlags } from '../options/decode.js';
import { errorFromCode, usageError } from '../exit-codes.js';
import { modelOverrides } from '../options/model.js';
import { print } from '../output.js';
import { render, type Format } from '../transcribe/formats.js';
import { assertDistinctOutputs, expandAudioInputs, outputPath, type AudioInput } from '../transcribe/inputs.js';
import { transcribeOptions, type TranscribeFlags } from '../options/transcribe.js';
import { CliError } from '../errors.js';
import { cliMessage } from '../flag-hints.js';

/** Registers `asrq transcribe`. */
export function registerTranscribe(program: Command): void {
  addCommand(
    program,
    {
      name: 'transcribe',
      description:
        'Transcribe audio files (WAV or FLAC, any rate, mono or multi-channel): files, directories (searched recursively) or quoted globs',
      arguments: [{ name: '<audio...>', description: 'audio files, directories or globs (e.g. "calls/**/*.flac")' }],
      options: transcribeOptions,
    },
    async (args, flags) => {
      if (args.length === 0) throw usageError('Give at least one audio file to transcribe.');
      if (flags.json && flags.format && flags.format !== 'json')
        throw usageError(`--json conflicts with --format ${flags.format}; give one of them.`);
      const format: Format = flags.format ?? (flags.json ? 'json' : 'txt');
      const inputs = await expandAudioInputs(args);
      if (!flags.outDir && (format === 'srt' || format === 'vtt') && inputs.length > 1) {
        throw usageError(
          `${inputs.length} inputs would print ${format} subtitles one after another; pass --out-dir <dir> to get one file per input.`,
        );
      }
      if (flags.outDir) {
        assertDistinctOutputs(resolve(flags.outDir), inputs, format);
        await assertWritableDir(resolve(flags.outDir), '--out-dir');
      }
      const decode = await resolveDecodeFlags(flags);
      const modelPath = resolve(flags.model ?? defaultModelPath);
      const overrides = modelOverrides(flags);
      const model = await CtcModel.load(modelPath, {
        session: { threads: flags.threads },
        ...(overrides ? { overrides } : {}),
      });
      try {
        await transcribeInputs(await createTranscriber(model, flags, decode), inputs, format, flags);
      } finally {
        await model.release();
      }
    },
  );
}

/** The transcriber the flags ask for: tokenizer, LM, hotwords, beam, chunking, n-best. */
async function createTranscriber(
  model: CtcModel,
  flags: TranscribeFlags,
  decode: ResolvedDecodeFlags,
): Promise<Transcriber> {
  const tokenizer = await loadModelTokenizer(model, flags.tokenizer ? { tokenizer: resolve(flags.tokenizer) } : {});
  // Hotwords match the model's output exactly; a lower-case phrase can never match an upper-case model.
  if (decode.hotwords && !tokenizer.pieces.some((piece) => /[a-z]/.test(piece) && !/^<.*>$/.test(piece))) {
    for (const phrase of decode.hotwords.filter((h) => /[a-z]/.test(h)))
      process.stderr.write(
        `warning: hotword "${phrase}" has lower-case letters but this model writes upper case only; it can never match. Write it as "${phrase.toUpperCase()}".\n`,
      );
  }
  const lm = flags.lm ? await loadArpa(resolve(flags.lm)) : undefined;
  // Without --beam, ctc's resolvedBeamWidth picks greedy, or a beam for an LM, hotwords or --nbest.
  return new Transcriber(model, tokenizer, {
    ...(flags.beam === undefined ? {} : { beamWidth: flags.beam }),
    ...chunkOptions(flags),
    ...(lm ? { lm } : {}),
    ...decode,
    ...(flags.nbest === undefined ? {} : { nBest: flags.nbest }),
  });
}

/** An error that does not say which file it came from (e.g. NaN log-probs from the model), prefixed with the input. */
function namingInput(error: unknown, input: AudioInput): unknown {
  if (!AsrqError.isInstance(error) || error.message.includes(input.path) || error.message.includes(input.display))
    return error;
  return errorFromCode(error.code, `${input.display}: ${cliMessage(error)}`);
}

/** Transcribes every input to stdout or --out-dir; one bad file among several is reported and the rest still transcribed. */
async function transcribeInputs(
  transcriber: Transcriber,
  inputs: readonly AudioInput[],
  format: Format,
  flags: TranscribeFlags,
): Promise<void> {
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
        const path = outputPath(outDir, input, format);
        await mkdir(dirname(path), { recursive: true });
        await writeFileAtomic(path, text);
      } else if (text.length > 0) process.stdout.write(text);
    } catch (error) {
      if (inputs.length === 1) throw namingInput(error, input);
      const message = AsrqError.isInstance(error)
        ? cliMessage(error)
        : error instanceof Error
          ? error.message
          : String(error);
      failures.push(input.display);
      process.stderr.write(`error: ${input.display}: ${message}\n`);
    }
  }
  if (outDir) print(outDir);
  if (failures.length > 0) {
    throw new CliError(
      'CLI_SOME_INPUTS_FAILED',
      `${failures.length} of ${inputs.length} inputs failed (${failures.slice(0, 5).join(', ')}${failures.length > 5 ? ', ...' : ''}); the others were transcribed. See the errors above.`,
    );
  }
}
