import { createRequire } from 'node:module';
import { Command } from 'commander';
import { registerBench } from './commands/bench.js';
import { registerCompare } from './commands/compare.js';
import { registerData } from './commands/data.js';
import { registerDemo } from './commands/demo.js';
import { registerFeatures } from './commands/features.js';
import { registerInspect } from './commands/inspect.js';
import { registerLm } from './commands/lm.js';
import { registerQuantize } from './commands/quantize.js';
import { registerScore } from './commands/score.js';
import { registerSensitivity } from './commands/sensitivity.js';
import { registerTranscribe } from './commands/transcribe.js';

/**
 * Builds the asrq command-line program (commander). Exported so the docs generate the CLI
 * reference from these very definitions.
 * @returns The program, not yet parsed.
 */
export function createProgram(): Command {
  const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
  const program = new Command('asrq')
    .description(
      'Quantize ONNX CTC speech-recognition models to int8 and measure WER and real-time factor before and after.',
    )
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: false });
  registerDemo(program);
  registerInspect(program);
  registerQuantize(program);
  registerSensitivity(program);
  registerBench(program);
  registerTranscribe(program);
  registerFeatures(program);
  registerCompare(program);
  registerScore(program);
  registerLm(program);
  registerData(program);
  return program;
}
