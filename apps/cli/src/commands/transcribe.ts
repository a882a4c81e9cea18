import { resolve } from 'node:path';
import { loadArpa } from '@asrq/ctc';
import { defaultModelPath } from '@asrq/fixtures';
import { CtcModel, defaultBeamWidth, loadModelTokenizer, Transcriber } from '@asrq/runtime';
import type { Command } from 'commander';
import { usageError } from '../exit-codes.js';
import { addChunkOptions, chunkOptions, type ChunkFlags } from '../chunk-options.js';
import { addModelOverrideOptions, modelOverrides, type ModelOverrideFlags } from '../model-options.js';
import { decimal, integer } from '../options.js';
import { print } from '../output.js';

/** Registers `asrq transcribe`. */
export function registerTranscribe(program: Command): void {
  const command = program
    .command('transcribe')
    .description('Transcribe audio files (WAV or FLAC, any rate, mono or multi-channel)')
    .argument('<audio...>', 'audio files')
    .option('--model <path>', 'ONNX CTC model (default: the bundled model)')
    .option('--tokenizer <path>', 'tokenizer (default: found beside the model)')
    .option('--beam <width>', 'CTC beam width (default: 1 = greedy, or 32 with --lm)', integer(1))
    .option('--lm <arpa>', 'ARPA n-gram LM for beam search')
    .option('--alpha <weight>', 'LM weight', decimal())
    .option('--beta <bonus>', 'word insertion bonus', decimal())
    .option('--threads <count>', 'onnxruntime intra-op threads', integer(1), 1)
    .option('--timestamps', 'print word start/end times')
    .option('--json', 'print one JSON object per file on stdout (JSON lines)');
  addModelOverrideOptions(addChunkOptions(command))
    .action(async (files: string[], flags: ModelOverrideFlags & ChunkFlags & { model?: string; tokenizer?: string; beam?: number; lm?: string; alpha?: number; beta?: number; threads: number; timestamps?: boolean; json?: boolean }) => {
      if (files.length === 0) throw usageError('Give at least one audio file to transcribe.');
      const modelPath = resolve(flags.model ?? defaultModelPath);
      const overrides = modelOverrides(flags);
      const model = await CtcModel.load(modelPath, { session: { threads: flags.threads }, ...(overrides ? { overrides } : {}) });
      try {
        const tokenizer = await loadModelTokenizer(model, flags.tokenizer ? { tokenizer: resolve(flags.tokenizer) } : {});
        const lm = flags.lm ? await loadArpa(resolve(flags.lm)) : undefined;
        const transcriber = new Transcriber(model, tokenizer, {
          beamWidth: flags.beam ?? defaultBeamWidth(lm !== undefined),
          ...chunkOptions(flags),
          ...(lm ? { lm } : {}),
          ...(flags.alpha === undefined ? {} : { alpha: flags.alpha }),
          ...(flags.beta === undefined ? {} : { beta: flags.beta }),
        });
        for (const file of files) {
          const result = await transcriber.transcribeFile(resolve(file));
          if (flags.json) print(JSON.stringify({ file, text: result.text, words: result.words, audioSec: result.audioSec, encoderSec: result.encoderSec, decodeSec: result.decodeSec }));
          else {
            print(files.length > 1 ? `${file}: ${result.text}` : result.text);
            if (flags.timestamps) for (const w of result.words) print(`  ${w.startSec.toFixed(2)}-${w.endSec.toFixed(2)} ${w.word}`);
          }
        }
      } finally {
        await model.release();
      }
    });
}
