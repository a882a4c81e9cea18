import { CliError } from './errors.js';

/**
 * Longest command line asrq accepts, in characters. onnxruntime-node crashes the whole process
 * (a segmentation fault, no message) when the command line is longer than about 28,000
 * characters with an 8 MB stack (fewer with a smaller one): a 30,000-character path or a
 * 6,000-word `--hotword` did. This leaves a safety margin.
 */
export const MAX_COMMAND_LINE = 16_000;

/**
 * Refuses a command line onnxruntime could crash on, before anything runs.
 * @param args - The arguments after `asrq`.
 * @throws CliError `CLI_USAGE` saying how long it is and what to pass instead.
 */
export function assertShortCommandLine(args: readonly string[]): void {
  const length = args.reduce((n, arg) => n + arg.length + 1, 0);
  if (length <= MAX_COMMAND_LINE) return;
  const longest = args.reduce((a, b) => (b.length > a.length ? b : a), '');
  throw new CliError(
    'CLI_USAGE',
    `The command line is ${length} characters long (its longest argument ${longest.length}); asrq accepts at most ${MAX_COMMAND_LINE}, because onnxruntime crashes on much longer ones. ` +
      'Pass a folder or a quoted glob (e.g. "calls/*.wav") instead of many files, and many hotwords in a --hotwords file.',
  );
}
