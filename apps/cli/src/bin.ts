#!/usr/bin/env node
import { AsrqError } from '@asrq/core';
import { stopWithParent } from '@asrq/core/node';
import { type Command, CommanderError } from 'commander';
import { assertShortCommandLine } from './command-line.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';
import { cliMessage } from './flag-hints.js';
import { createProgram } from './program.js';

async function main(argv: string[]): Promise<number> {
  const program = createProgram();
  const override = (command: Command) => {
    command.exitOverride();
    command.commands.forEach(override);
  };
  override(program);
  try {
    assertShortCommandLine(argv.slice(2));
    await program.parseAsync(argv);
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit through here too, with code 0.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (AsrqError.isInstance(error)) {
      if (error.code !== 'ABORTED') process.stderr.write(`asrq: ${cliMessage(error)}\n`);
      return exitCodeFor(error);
    }
    process.stderr.write(`asrq: internal error (please report it): ${(error as Error)?.stack ?? String(error)}\n`);
    return ExitCode.internal;
  }
}

// `asrq ... | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

stopWithParent();
process.exitCode = await main(process.argv);
