/**
 * Shared pieces of the parser fuzz tests (`*.fuzz.test.ts`): byte mutations of valid inputs, the
 * "a value or an AsrqError with a code" verdict, and run settings. CI runs each property with a
 * fixed seed and count; `pnpm fuzz` (scripts/fuzz.ts) runs them with more iterations and a new seed
 * through ASRQ_FUZZ_SCALE and ASRQ_FUZZ_SEED.
 */
import fc from 'fast-check';

/** AsrqError's brand (packages/core/src/errors.ts); checked by symbol so this file needs no workspace import. */
const ASRQ_ERROR = Symbol.for('asrq.error');

function isCodedAsrqError(error: unknown, codes: RegExp): boolean {
  if (typeof error !== 'object' || error === null || (error as Record<symbol, unknown>)[ASRQ_ERROR] !== true)
    return false;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/u.test(code) && codes.test(code);
}

/** One edit of a byte buffer; positions are taken modulo the buffer's length. */
export type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'truncate'; at: number }
  | { kind: 'splice'; at: number; from: number; count: number }
  | { kind: 'huge'; at: number; value: number; bigEndian: boolean };

/** Length-field values that break naive readers: all ones, the signed maximum, 2^31, and 2^32 - 8. */
const HUGE = [0xffffffff, 0x7fffffff, 0x80000000, 0xfffffff8, 0x40000000];

/** Arbitrary mutation: bit flips, byte sets, deletions, insertions, truncation, splices, huge 32-bit fields. */
export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
    weight: 4,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      at: fc.nat(),
      count: fc.integer({ min: 1, max: 64 }),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('splice' as const),
      at: fc.nat(),
      from: fc.nat(),
      count: fc.integer({ min: 1, max: 256 }),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('huge' as const),
      at: fc.nat(),
      value: fc.constantFrom(...HUGE),
      bigEndian: fc.boolean(),
    }),
    weight: 2,
  },
);

/** One to `max` mutations. */
export function mutationsArb(max = 4): fc.Arbitrary<Mutation[]> {
  return fc.array(mutationArb, { minLength: 1, maxLength: max });
}

/**
 * Applies mutations to a copy of `bytes`.
 * @param bytes - A valid input (not modified).
 * @param mutations - Edits, applied in order.
 * @param region - Only mutate positions below this (e.g. the header), default the whole buffer.
 * @returns The mutated copy.
 */
export function mutate(bytes: Uint8Array, mutations: readonly Mutation[], region = bytes.length): Uint8Array {
  let out: Uint8Array = bytes.slice();
  for (const m of mutations) {
    const span = Math.max(1, Math.min(region, out.length));
    const at = m.at % span;
    switch (m.kind) {
      case 'flip':
        if (out.length > 0) out[at] = out[at]! ^ (1 << m.bit);
        break;
      case 'set':
        if (out.length > 0) out[at] = m.value;
        break;
      case 'delete':
        out = concat(out.subarray(0, at), out.subarray(Math.min(out.length, at + m.count)));
        break;
      case 'insert':
        out = concat(out.subarray(0, at), m.bytes, out.subarray(at));
        break;
      case 'truncate':
        out = out.slice(0, at);
        break;
      case 'splice': {
        const from = out.length === 0 ? 0 : m.from % out.length;
        out = concat(out.subarray(0, at), out.slice(from, from + m.count), out.subarray(at));
        break;
      }
      case 'huge':
        if (at + 4 <= out.length)
          new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(at, m.value, !m.bigEndian);
        break;
    }
  }
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The fuzz verdict: `run` returns a value, or throws an AsrqError whose code matches `codes`.
 * Anything else (TypeError, RangeError, a plain Error, an AsrqError of another area) is rethrown,
 * so fast-check reports and shrinks the input.
 * @param run - The parser call.
 * @param codes - Accepted error codes, e.g. /^AUDIO_/.
 * @returns The value, or undefined when an accepted error was thrown.
 */
export function valueOrAsrqError<T>(run: () => T, codes: RegExp): T | undefined {
  try {
    return run();
  } catch (error) {
    if (isCodedAsrqError(error, codes)) return undefined;
    throw error;
  }
}

/** Async {@link valueOrAsrqError}. */
export async function valueOrAsrqErrorAsync<T>(run: () => Promise<T>, codes: RegExp): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    if (isCodedAsrqError(error, codes)) return undefined;
    throw error;
  }
}

const scale = Math.max(1, Number(process.env.ASRQ_FUZZ_SCALE ?? '1') || 1);
const envSeed = process.env.ASRQ_FUZZ_SEED === undefined ? undefined : Number(process.env.ASRQ_FUZZ_SEED);

/**
 * fast-check parameters: a fixed seed and count in CI; `ASRQ_FUZZ_SCALE` multiplies the count and
 * `ASRQ_FUZZ_SEED` replaces the seed (scripts/fuzz.ts sets both).
 * @param seed - The CI seed of this property.
 * @param numRuns - The CI iteration count.
 */
export function fuzzRuns(seed: number, numRuns: number): fc.Parameters<unknown> {
  return { seed: envSeed === undefined ? seed : envSeed + seed, numRuns: numRuns * scale };
}

/** Test timeout for a fuzz test whose CI run takes about `ms`, scaled like the iteration count. */
export function fuzzTimeout(ms: number): number {
  return ms * scale;
}

/** fast-check itself, for packages whose fuzz test needs nothing else from it (no devDependency of their own). */
export { fc };
