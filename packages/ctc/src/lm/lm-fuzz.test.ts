import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AsrqError } from '@asrq/core';
import { buildArpa } from './kneser-ney.js';
import { NgramLM } from './ngram-lm.js';
import { parseDecimal } from './parse-decimal.js';

const ARPA = buildArpa(['the cat sat', 'the dog sat on the mat', 'a cat ate the rat'], { order: 3 });
const ARPA_BYTES = new TextEncoder().encode(ARPA);
const COMPILED = NgramLM.fromArpa(ARPA).compile();

/** The compiled format's checksum: FNV-1a in four interleaved lanes, then over the lanes. */
function checksumOf(body: Uint32Array): number {
  const lanes = [0x811c9dc5, 0x811c9dc5, 0x811c9dc5, 0x811c9dc5];
  const whole = body.length - (body.length % 4);
  for (let i = 0; i < body.length; i++) {
    const lane = i < whole ? i % 4 : 0;
    lanes[lane] = Math.imul(lanes[lane]! ^ body[i]!, 0x01000193);
  }
  let h = 0x811c9dc5;
  for (const lane of lanes) h = Math.imul(h ^ lane, 0x01000193);
  return h >>> 0;
}

/** Runs `load`; it must return a model or throw an AsrqError with a code, nothing else. */
function valueOrAsrqError(load: () => NgramLM): void {
  try {
    const lm = load();
    // A model that loads must also score without throwing or hanging.
    lm.sentenceLog10Prob(['the', 'cat', 'zzz']);
  } catch (error) {
    if (!(error instanceof AsrqError) || !/^LM_[A-Z_]+$/.test(error.code)) throw error;
  }
}

/** Byte mutations: flips, overwrites, deletions, insertions, truncation. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), value: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(), value: fc.constant(0) }),
);

function mutate(bytes: Uint8Array, mutations: { kind: string; at: number; value: number }[]): Uint8Array {
  let out = Array.from(bytes);
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % out.length;
    if (m.kind === 'set') out[at] = m.value;
    else if (m.kind === 'delete') out.splice(at, m.value);
    else if (m.kind === 'insert') out.splice(at, 0, m.value);
    else out = out.slice(0, at);
  }
  return Uint8Array.from(out);
}

describe('fuzz: LM readers give a model or an AsrqError', () => {
  it('ARPA parser on mutated ARPA files', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (mutations) =>
        valueOrAsrqError(() => NgramLM.fromArpa(mutate(ARPA_BYTES, mutations))),
      ),
      { numRuns: 400, seed: 17 },
    );
  });

  it('ARPA parser on random text and bytes', () => {
    const token = fc.constantFrom(
      '\\data\\',
      'ngram 1=3',
      'ngram 2=99999999999',
      'ngram 2=1',
      '\\1-grams:',
      '\\2-grams:',
      '\\end\\',
      '-1.5',
      '<s>',
      '</s>',
      'a',
      '\t',
      ' ',
      '\n',
      '\r\n',
      '1e400',
      'NaN',
      '-0.3e-2',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 60 }), (tokens) =>
        valueOrAsrqError(() => NgramLM.fromArpa(tokens.join(''))),
      ),
      { numRuns: 400, seed: 18 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => valueOrAsrqError(() => NgramLM.fromArpa(bytes))),
      { numRuns: 200, seed: 19 },
    );
  });

  it('compiled-LM reader on mutated compiled files (stale checksum, recomputed checksum, rewritten header)', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) =>
        valueOrAsrqError(() => NgramLM.fromCompiled(mutate(COMPILED, mutations))),
      ),
      { numRuns: 300, seed: 20 },
    );
    // The test's checksum agrees with the writer's, so the cases below do reach the table checks.
    expect(checksumOf(new Uint32Array(COMPILED.slice().buffer, 128))).toBe(
      new DataView(COMPILED.buffer, COMPILED.byteOffset).getUint32(8 + 4 * 4, true),
    );
    // Payload words overwritten and the checksum recomputed: the table checks must catch what the checksum no longer does.
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 4 }), (writes) => {
        const bytes = COMPILED.slice();
        const body = new Uint32Array(bytes.buffer, 128);
        for (const [at, value] of writes) body[at % body.length] = value % 3 === 0 ? 0xffffffff : value;
        new DataView(bytes.buffer).setUint32(8 + 4 * 4, checksumOf(body), true);
        valueOrAsrqError(() => NgramLM.fromCompiled(bytes));
      }),
      { numRuns: 300, seed: 22 },
    );
    // Header fields rewritten with the payload left intact: the reader's own checks must catch them.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 29 }), fc.nat(), (field, value) => {
        const bytes = COMPILED.slice();
        new DataView(bytes.buffer).setUint32(8 + 4 * field, value, true);
        valueOrAsrqError(() => NgramLM.fromCompiled(bytes));
      }),
      { numRuns: 300, seed: 21 },
    );
  });
});

describe('parseDecimal', () => {
  it('equals Number() whenever it accepts, on ARPA-like and random decimals', () => {
    const out = new Float64Array(1);
    const check = (text: string): void => {
      const bytes = new TextEncoder().encode(text);
      if (parseDecimal(bytes, 0, bytes.length, out)) expect(Object.is(out[0], Number(text))).toBe(true);
    };
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (x) => check(String(x))),
      { numRuns: 2000, seed: 1 },
    );
    fc.assert(
      fc.property(fc.double({ min: -100, max: 0, noNaN: true }), fc.integer({ min: 0, max: 9 }), (x, digits) =>
        check(x.toFixed(digits)),
      ),
      { numRuns: 2000, seed: 2 },
    );
    fc.assert(fc.property(fc.stringMatching(/^[-+]?\d{0,18}(\.\d{0,18})?([eE][-+]?\d{1,3})?$/), check), {
      numRuns: 2000,
      seed: 3,
    });
    for (const text of ['-0', '0', '-1.5', '.5', '5.', '-3.1e-05', '1E3', '-99']) {
      const bytes = new TextEncoder().encode(text);
      expect(parseDecimal(bytes, 0, bytes.length, out)).toBe(true);
      expect(Object.is(out[0], Number(text))).toBe(true);
    }
  });
});
