import { resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';

/** The range a numeric flag accepts; every number a bounded parser returns lies in it. */
export interface NumericBounds {
  readonly min: number;
  readonly max: number;
  /** `min` itself is refused (e.g. seconds > 0). */
  readonly minExclusive?: boolean;
}

/**
 * A commander parser whose results are numbers (or lists or pairs of numbers) within `bounds`.
 * The fuzz test of the CLI's numeric flags reads `bounds` to check every flag's parser.
 */
export type BoundedParser<T> = ((value: string) => T) & { readonly bounds: NumericBounds };

/**
 * Attaches the bounds a parser enforces, so the flag can be checked against them.
 * @param parse - A parser that throws commander's InvalidArgumentError outside `bounds`.
 * @param bounds - What it accepts.
 * @returns The same parser, with `bounds`.
 */
export function bounded<T>(parse: (value: string) => T, bounds: NumericBounds): BoundedParser<T> {
  return Object.assign(parse, { bounds });
}

/** Limits shared by several flags, so one flag cannot ask for an absurd amount of memory or time. */
export const LIMITS = {
  /** Utterances of a corpus (--n, --calib-n, --eval-n, --warmup). */
  utterances: 1_000_000,
  /** Threads, worker threads and worker processes. */
  threads: 256,
  /** Seeds are 32-bit. */
  seed: 2 ** 32 - 1,
  /** CTC beam width. */
  beam: 4096,
  /** Sample rates asrq reads and models take (the WAV/FLAC header range). */
  sampleRate: { min: 1000, max: 768_000 },
  /** LM weight, word bonus, hotword bonus. */
  weight: 100,
} as const;

function describeRange(bounds: NumericBounds, what: string): string {
  return `${what} from ${bounds.min}${bounds.minExclusive ? ' (exclusive)' : ''} to ${bounds.max}`;
}

function inRange(value: number, bounds: NumericBounds): boolean {
  return (bounds.minExclusive ? value > bounds.min : value >= bounds.min) && value <= bounds.max;
}

/**
 * Commander parser for a whole number in a range.
 * @param min - Smallest accepted value.
 * @param max - Largest accepted value.
 * @returns A parser that throws commander's InvalidArgumentError (exit code 2) on bad input.
 */
export function integer(min: number, max: number): BoundedParser<number> {
  const bounds = { min, max };
  return bounded((value) => {
    const parsed = Number(value);
    if (value.trim() === '' || !Number.isInteger(parsed) || !inRange(parsed, bounds))
      throw new InvalidArgumentError(`expected ${describeRange(bounds, 'a whole number')}, got "${value}".`);
    return parsed;
  }, bounds);
}

/**
 * Commander parser for a finite number in a range.
 * @param min - Smallest accepted value.
 * @param max - Largest accepted value.
 * @param options - `minExclusive`: `min` itself is refused.
 * @returns A parser that rejects non-numbers and values outside the range.
 */
export function decimal(min: number, max: number, options: { minExclusive?: boolean } = {}): BoundedParser<number> {
  const bounds = { min, max, ...options };
  return bounded((value) => {
    const parsed = Number(value);
    if (value.trim() === '' || !Number.isFinite(parsed) || !inRange(parsed, bounds))
      throw new InvalidArgumentError(`expected ${describeRange(bounds, 'a number')}, got "${value}".`);
    return parsed;
  }, bounds);
}

/** Collects a repeatable option into an array. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * Parses a duration like 90s, 20m, 1.5h (plain numbers are seconds), above 0 and at most `maxSec`.
 * @param maxSec - Longest accepted duration in seconds.
 * @returns A parser returning seconds.
 */
export function duration(maxSec: number): BoundedParser<number> {
  const bounds = { min: 0, max: maxSec, minExclusive: true };
  return bounded((value) => {
    const match = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(value.trim());
    if (!match) throw new InvalidArgumentError(`expected a duration like 90s, 20m or 1h, got "${value}".`);
    const scale = match[2] === 'h' ? 3600 : match[2] === 'm' ? 60 : 1;
    const seconds = Number(match[1]) * scale;
    if (!inRange(seconds, bounds))
      throw new InvalidArgumentError(`expected a duration above 0 and at most ${maxSec / 3600} h, got "${value}".`);
    return seconds;
  }, bounds);
}

const BYTE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
};

/**
 * Parses a size like 200MB, 1.5GB or 190MiB (plain numbers are bytes; MB = 10^6 bytes, MiB = 2^20,
 * as file managers and `ls -h` show them), above 0 and at most `maxBytes`.
 * @param maxBytes - Largest accepted size.
 * @returns A parser returning whole bytes.
 */
export function byteSize(maxBytes: number): BoundedParser<number> {
  const bounds = { min: 0, max: maxBytes, minExclusive: true };
  return bounded((value) => {
    const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
    const scale = match ? BYTE_UNITS[match[2]!.toLowerCase()] : undefined;
    if (!match || scale === undefined)
      throw new InvalidArgumentError(`expected a size like 200MB, 1.5GB or 190MiB, got "${value}".`);
    const bytes = Math.round(Number(match[1]) * scale);
    if (!inRange(bytes, bounds))
      throw new InvalidArgumentError(
        `expected a size of at least 1 byte and at most ${maxBytes / 1e9} GB, got "${value}".`,
      );
    return bytes;
  }, bounds);
}

/**
 * Parses a path given on the command line to an absolute one (from the current directory), as
 * the packages take paths. Marked `path`, so the flag fuzz test knows it is not a number parser.
 * @param value - The path as typed.
 * @returns The absolute path.
 */
export const path = Object.assign((value: string): string => resolve(value), { path: true as const });
