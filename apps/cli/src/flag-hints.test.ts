import { AsrqError } from '@asrq/core';
import { CtcError, findTokenizer } from '@asrq/ctc';
import { chunkSamples } from '@asrq/runtime';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliMessage, flagOfArgument } from './flag-hints.js';
import type { Command } from 'commander';
import { createProgram } from './program.js';
import { useTempDirs } from '@asrq/test-temp';

const { tempDirSync: tempDir } = useTempDirs();

/** Every long flag of every command. */
function allOptionFlags(command: Command = createProgram()): string[] {
  return [...command.options.map((o) => o.long ?? ''), ...command.commands.flatMap((c) => allOptionFlags(c))];
}

describe('cliMessage', () => {
  it("puts the CLI's flag where a library message names the argument", async () => {
    const error = await findTokenizer(join(tempDir('asrq-flag-'), 'm.onnx')).catch((e) => e);
    expect(CtcError.isInstance(error)).toBe(true);
    expect(error.message).toContain('(`tokenizer`: a tokenizer.model');
    expect(error.message).not.toContain('--');
    expect(cliMessage(error)).toContain('(--tokenizer: a tokenizer.model');
  });

  it('leaves backticked words alone that the error does not name as its argument', () => {
    const error = new AsrqError('X_Y', 'Pass `tokenizer` or `chunkSec`.', { argument: 'chunkSec' });
    expect(cliMessage(error)).toBe('Pass `tokenizer` or --chunk-sec.');
    expect(cliMessage(new AsrqError('X_Y', 'No `tokenizer`.'))).toBe('No `tokenizer`.');
  });

  it('maps every argument to a flag some command has', () => {
    const flags = allOptionFlags();
    for (const [argument, flag] of Object.entries(flagOfArgument)) expect(flags, argument).toContain(flag);
  });

  it('gives the CLI advice a library message leaves out: chunking, blank id, resuming a search', () => {
    let caught: unknown;
    try {
      chunkSamples({ chunkSec: 10, strideSec: 5 }, 16000);
    } catch (error) {
      caught = error;
    }
    expect(AsrqError.isInstance(caught)).toBe(true);
    const chunking = caught as AsrqError;
    expect(chunking.message).not.toMatch(/--[a-z]/);
    expect(cliMessage(chunking)).toMatch(/--chunk-sec must exceed 2 x --stride-sec/);
    const resume = new AsrqError('PLANNER_RESUME_MISMATCH', 'Use another `workDir` (or drop `resume`).', {
      argument: ['workDir', 'resume'],
    });
    expect(cliMessage(resume)).toBe('Use another --output (or drop --resume).');
  });
});
