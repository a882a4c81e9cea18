import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CoreError, coreErrorCodes, throwIfAborted } from './core-errors.js';
import { createError, errorCode } from './error-spec.js';
import { AsrqError, type ErrorCodeTable } from './errors.js';
import { readJsonl } from './jsonl.js';
import { parseStructuredText } from './structured-text.js';
import { useTempDirs } from '@asrq/test-temp';

const { tempDir } = useTempDirs();

// Two subclasses written exactly as every package writes its own (see packages/*/src/errors.ts).
const aCodes = { A_BAD: { exit: 'input', summary: 'a' } } as const satisfies ErrorCodeTable;
const aMarker = Symbol.for('asrq.error.test.AError');
class AError extends AsrqError<keyof typeof aCodes> {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: isInstance reads it through the symbol
  private readonly [aMarker] = true;
  override readonly name: string = 'AError';
  static override isInstance(value: unknown): value is AError {
    return AsrqError.hasMarker(value, aMarker);
  }
}
const bMarker = Symbol.for('asrq.error.test.BError');
class BError extends AsrqError<'B_BAD'> {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: isInstance reads it through the symbol
  private readonly [bMarker] = true;
  override readonly name: string = 'BError';
  static override isInstance(value: unknown): value is BError {
    return AsrqError.hasMarker(value, bMarker);
  }
}

describe('AsrqError subclasses', () => {
  it('are told apart by isInstance, and all are AsrqErrors', () => {
    const a = new AError('A_BAD', 'a');
    const b = new BError('B_BAD', 'b');
    expect(AError.isInstance(a)).toBe(true);
    expect(AError.isInstance(b)).toBe(false);
    expect(BError.isInstance(a)).toBe(false);
    expect(AsrqError.isInstance(a) && AsrqError.isInstance(b)).toBe(true);
    expect(AError.isInstance(new AsrqError('A_BAD', 'base'))).toBe(false);
    expect(AError.isInstance({ [aMarker]: true })).toBe(false);
    expect(AError.isInstance(null)).toBe(false);
    expect(a).toBeInstanceOf(AsrqError);
    expect(a).toBeInstanceOf(Error);
  });

  it('carry their own name, code, message, cause and location', () => {
    const cause = new Error('inner');
    const a = new AError('A_BAD', 'what went wrong', { cause, location: 'f.txt:3' });
    expect([a.name, a.code, a.message, a.cause, a.location]).toEqual([
      'AError',
      'A_BAD',
      'what went wrong',
      cause,
      'f.txt:3',
    ]);
    expect(String(a)).toBe('AError: what went wrong');
    expect(new AsrqError('X', 'x').name).toBe('AsrqError');
    expect('cause' in new AError('A_BAD', 'no cause')).toBe(false);
  });

  it('are recognised across duplicated copies of @asrq/core', async () => {
    // A second instance of the module, as when two versions of @asrq/core are installed.
    const specifier = './core-errors.js?duplicate-copy';
    const copy = (await import(/* @vite-ignore */ specifier)) as typeof import('./core-errors.js');
    expect(copy.CoreError).not.toBe(CoreError);
    const fromCopy = new copy.CoreError('ABORTED', 'x');
    expect(fromCopy).not.toBeInstanceOf(CoreError);
    expect(CoreError.isInstance(fromCopy)).toBe(true);
    expect(AsrqError.isInstance(fromCopy)).toBe(true);
    expect(copy.CoreError.isInstance(new CoreError('ABORTED', 'y'))).toBe(true);
    expect(copy.CoreError.isInstance(new AError('A_BAD', 'z'))).toBe(false);
  });
});

describe('CoreError', () => {
  it('is what throwIfAborted throws, with code ABORTED and the reason as cause', () => {
    const controller = new AbortController();
    throwIfAborted(controller.signal);
    controller.abort('stop');
    let caught: unknown;
    try {
      throwIfAborted(controller.signal);
    } catch (error) {
      caught = error;
    }
    expect(CoreError.isInstance(caught)).toBe(true);
    expect(caught).toMatchObject({
      name: 'CoreError',
      code: 'ABORTED',
      message: 'The operation was cancelled.',
      cause: 'stop',
    });
  });

  it('has a table entry, with an exit category and a summary, for each of its codes', () => {
    expect(Object.keys(coreErrorCodes).sort()).toEqual(['ABORTED', 'DIR_LOCKED', 'JOURNAL_BROKEN']);
    expect(coreErrorCodes.ABORTED.exit).toBe('interrupted');
    for (const info of Object.values(coreErrorCodes)) expect(info.summary).toMatch(/^[A-Z].*\.$/);
  });
});

describe("errorCode specs for helpers that throw on a caller's behalf", () => {
  it("make the helper throw the caller's subclass; a bare code still gives a plain AsrqError", () => {
    const thrown = (code: Parameters<typeof parseStructuredText>[2]): unknown => {
      try {
        return parseStructuredText('{"a": ', 'x.json', code);
      } catch (error) {
        return error;
      }
    };
    const typed = thrown(errorCode(AError, 'A_BAD'));
    expect(AError.isInstance(typed)).toBe(true);
    expect(typed).toMatchObject({ name: 'AError', code: 'A_BAD', location: 'x.json:1:7' });
    const bare = thrown('A_BAD');
    expect(AError.isInstance(bare)).toBe(false);
    expect(bare).toMatchObject({ name: 'AsrqError', code: 'A_BAD', message: (typed as Error).message });
    expect(createError(errorCode(BError, 'B_BAD'), 'm', { location: 'l' })).toMatchObject({
      name: 'BError',
      code: 'B_BAD',
      message: 'm',
      location: 'l',
    });
  });

  it("default to CoreError for core's own codes", async () => {
    const path = join(await tempDir('asrq-errors-'), 'j.jsonl');
    await writeFile(path, '{"a":1}\nnot json\n{"b":2}\n');
    const error = await readJsonl(path).catch((e: unknown) => e);
    expect(CoreError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'JOURNAL_BROKEN', location: `${path}:2` });
  });
});
