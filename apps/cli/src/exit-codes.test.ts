import { AsrqError } from '@asrq/core';
import { describe, expect, it } from 'vitest';
import { errorCodeDocs, errorCodeTables, errorFromCode, exitCodeFor, ExitCode, usageError } from './exit-codes.js';

// A frozen copy of how exit codes were chosen before the per-package code tables existed (prefix
// lists and a hand-written set). Every code in the tables must still map to the same exit code.
const LEGACY_MODEL_PREFIXES = ['RUNTIME_', 'ONNX_', 'QUANT_', 'BENCH_VOCAB'];
const LEGACY_USAGE_CODES = new Set([
  'CLI_USAGE',
  'BENCH_BAD_OPTION',
  'QUANT_BAD_PLAN',
  'BENCH_RESUME_MISMATCH',
  'BENCH_NO_MODEL',
  'BENCH_OUT_EXISTS',
  'BENCH_OUT_LOCKED',
  'DOWNLOAD_BAD_MD5',
  'PLANNER_RESUME_MISMATCH',
  'PLANNER_BAD_OPTION',
]);
// Codes added after the tables existed, whose exit code the legacy prefix rule would get wrong.
const NEW_CODES: Record<string, number> = {
  RUNTIME_EMPTY_CORPUS: 3,
  RUNTIME_FOREIGN_COMPANION: 3,
  DOWNLOAD_BAD_URL: 2,
  PLANNER_WORKDIR_EXISTS: 2,
  BENCH_BAD_MODEL_OUTPUT: 4,
  PLANNER_BAD_MODEL: 4,
};
function legacyExitCode(code: string): number {
  if (code in NEW_CODES) return NEW_CODES[code]!;
  if (code === 'ABORTED') return 130;
  if (LEGACY_USAGE_CODES.has(code)) return 2;
  if (LEGACY_MODEL_PREFIXES.some((p) => code.startsWith(p))) return 4;
  return 3;
}

const allCodes = errorCodeTables.flatMap((t) => Object.keys(t.codes));

describe('exitCodeFor', () => {
  it('maps every declared code to the exit code the legacy rules gave it', () => {
    expect(allCodes.length).toBeGreaterThan(90);
    for (const table of errorCodeTables) {
      for (const code of Object.keys(table.codes)) {
        const error = new table.errorClass(code as never, 'x');
        expect({ code, exit: exitCodeFor(error) }).toEqual({ code, exit: legacyExitCode(code) });
        // The same code on a plain AsrqError (e.g. thrown by a core helper on a package's behalf).
        expect(exitCodeFor(new AsrqError(code, 'x'))).toBe(legacyExitCode(code));
      }
    }
    for (const code of LEGACY_USAGE_CODES) expect(allCodes).toContain(code);
  });

  it('keeps the legacy fallbacks: 3 for an unknown code, 1 for anything else thrown', () => {
    expect(exitCodeFor(new AsrqError('SOMEONE_ELSES_CODE', 'x'))).toBe(ExitCode.input);
    expect(exitCodeFor(new AsrqError('RUNTIME_FUTURE_CODE', 'x'))).toBe(ExitCode.input);
    expect(exitCodeFor(new Error('x'))).toBe(ExitCode.internal);
    expect(exitCodeFor('x')).toBe(ExitCode.internal);
    expect(exitCodeFor(usageError('bad'))).toBe(ExitCode.usage);
  });
});

describe('error code tables', () => {
  it('declare each code once, with a summary sentence', () => {
    expect(new Set(allCodes).size).toBe(allCodes.length);
    for (const row of errorCodeDocs()) {
      expect(row.code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(row.summary).toMatch(/^[A-Z`].*\.$/);
    }
  });

  it('give each package a subclass with its own name and an exclusive isInstance', () => {
    const samples = errorCodeTables.map((t) => new t.errorClass(Object.keys(t.codes)[0] as never, 'x'));
    expect(new Set(samples.map((e) => e.name)).size).toBe(samples.length);
    errorCodeTables.forEach((table, i) => {
      expect(samples[i]!.name).toBe(table.errorClass.name);
      expect(AsrqError.isInstance(samples[i])).toBe(true);
      const isInstance = (table.errorClass as unknown as { isInstance(v: unknown): boolean }).isInstance;
      samples.forEach((sample, j) => expect(isInstance(sample)).toBe(i === j));
      expect(isInstance(new AsrqError(Object.keys(table.codes)[0]!, 'x'))).toBe(false);
    });
  });

  it('re-create an error under a new message as the subclass that owns its code', () => {
    const revived = errorFromCode('QUANT_NO_MATCH', 'utt.wav: no match');
    expect([revived.name, revived.code, revived.message, exitCodeFor(revived)]).toEqual([
      'QuantizeError',
      'QUANT_NO_MATCH',
      'utt.wav: no match',
      4,
    ]);
    const unknown = errorFromCode('OTHER_CODE', 'm');
    expect([unknown.name, unknown.code, exitCodeFor(unknown)]).toEqual(['AsrqError', 'OTHER_CODE', 3]);
  });
});
