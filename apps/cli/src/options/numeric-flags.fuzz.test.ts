import { resolve } from 'node:path';
import { type Command, InvalidArgumentError, type Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { fc, fuzzRuns } from '../../../../scripts/fuzz/kit.js';
import type { NumericBounds } from './parsers.js';
import { createProgram } from '../program.js';

type Parser = ((value: string, previous: unknown) => unknown) & { bounds?: NumericBounds; path?: true };

/** Every option of every command (sub-commands included) that parses its value, as `command --flag`. */
function parsedOptions(command: Command, prefix = ''): Array<{ name: string; parse: Parser }> {
  const name = `${prefix}${command.name()}`;
  const own = (command.options as readonly Option[])
    // Choices are checked by commander against a fixed list: nothing numeric to bound.
    .filter((option) => option.parseArg !== undefined && option.argChoices === undefined)
    .map((option) => ({ name: `${name} ${option.long}`, parse: option.parseArg as Parser }));
  return [...own, ...command.commands.flatMap((sub) => parsedOptions(sub, `${name} `))];
}

/** Every number inside a parsed value (a number, a list of numbers, a shard { index, count }). */
function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.flatMap(numbersIn);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(numbersIn);
  return [];
}

const options = parsedOptions(createProgram());
const numeric = options.filter((o) => o.parse.bounds !== undefined);

/** Values a user (or a script) might type into a numeric flag: huge, tiny, negative, exotic spellings, lists, ranges. */
const typed: fc.Arbitrary<string> = fc.oneof(
  fc.double({ noNaN: false }).map(String),
  fc.integer().map(String),
  fc.constantFrom(
    '1e12',
    '1e9',
    '5e6',
    '1e308',
    '-1e308',
    'Infinity',
    '-Infinity',
    'NaN',
    '0x7fffffff',
    '0b11',
    '',
    ' ',
    '0',
    '-0',
    '1',
    '2',
    '-1',
    '1.5',
    '99999999999999999999',
    '1,2',
    '1,1e9',
    '1/4',
    '0/0',
    '1/1e12',
    '3:1',
    '-1:1e3',
    '0:2',
    '90s',
    '1e9h',
    '0s',
  ),
  fc.tuple(fc.double(), fc.double()).map(([a, b]) => `${a}:${b}`),
  fc.tuple(fc.integer(), fc.integer()).map(([a, b]) => `${a}/${b}`),
  fc.array(fc.integer({ min: -10, max: 1e6 }), { minLength: 1, maxLength: 4 }).map((xs) => xs.join(',')),
  fc.string({ maxLength: 12 }),
);

describe('fuzz: every numeric CLI flag gives a bounded value or a usage error', () => {
  it('every flag with a parser is bounded (or collects repeated strings)', () => {
    expect(numeric.length).toBeGreaterThan(30);
    for (const { name, parse } of options.filter((o) => o.parse.bounds === undefined)) {
      // The only unbounded parsers are the collectors of repeatable string options and the path
      // parser (a path made absolute, as the packages take it).
      const want = parse.path ? resolve('1e12') : ['1e12'];
      expect({ name, value: parse('1e12', undefined) }).toEqual({ name, value: want });
    }
  });

  it('on huge, negative, non-finite and malformed values', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: numeric.length - 1 }), typed, (which, text) => {
        const { name, parse } = numeric[which]!;
        const bounds = parse.bounds!;
        let value: unknown;
        try {
          value = parse(text, undefined);
        } catch (error) {
          // Commander turns this into "option '--flag <x>' argument 'text' is invalid. ..." and exit code 2.
          expect(error, `${name} ${JSON.stringify(text)}`).toBeInstanceOf(InvalidArgumentError);
          return;
        }
        const numbers = numbersIn(value);
        expect(numbers.length, `${name} ${JSON.stringify(text)}`).toBeGreaterThan(0);
        for (const x of numbers) {
          expect(Number.isFinite(x), `${name} ${JSON.stringify(text)} -> ${x}`).toBe(true);
          expect(x, `${name} ${JSON.stringify(text)}`).toBeLessThanOrEqual(bounds.max);
          expect(x, `${name} ${JSON.stringify(text)}`).toBeGreaterThanOrEqual(bounds.min);
        }
      }),
      fuzzRuns(24, 3000),
    );
  });

  it('refuses the values the fault probe used', () => {
    const parserOf = (name: string): Parser => numeric.find((o) => o.name === name)!.parse;
    for (const text of ['1e12', '1e9', '5e6', '1'])
      expect(() => parserOf('asrq transcribe --sample-rate')(text, undefined)).toThrow(InvalidArgumentError);
    expect(() => parserOf('asrq transcribe --chunk-sec')('0', undefined)).toThrow(InvalidArgumentError);
    expect(() => parserOf('asrq quantize --percentile')('200', undefined)).toThrow(InvalidArgumentError);
    expect(() => parserOf('asrq quantize --max-wer-increase')('-1', undefined)).toThrow(InvalidArgumentError);
    expect(() => parserOf('asrq quantize --budget')('0', undefined)).toThrow(InvalidArgumentError);
    expect(() => parserOf('asrq quantize --min-sqnr')('1000', undefined)).toThrow(InvalidArgumentError);
    expect(() => parserOf('asrq lm tune --beta-range')('-1:1e3', undefined)).toThrow(/1000 in "-1:1e3" is outside/);
    expect(parserOf('asrq lm tune --beta-range')('-1:1e1', undefined)).toEqual([-1, 10]);
  });
});
