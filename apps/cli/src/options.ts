import { InvalidArgumentError } from 'commander';

/**
 * Commander parser for a whole number with a minimum (and optionally a maximum).
 * @param min - Smallest accepted value.
 * @param max - Largest accepted value.
 * @returns A parser that throws commander's InvalidArgumentError (exit code 2) on bad input.
 */
export function integer(min: number, max = Number.POSITIVE_INFINITY): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max)
      throw new InvalidArgumentError(
        `expected a whole number ${max === Number.POSITIVE_INFINITY ? `>= ${min}` : `from ${min} to ${max}`}, got "${value}".`,
      );
    return parsed;
  };
}

/**
 * Commander parser for a finite number.
 * @returns A parser that rejects non-numbers.
 */
export function decimal(): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (value.trim() === '' || !Number.isFinite(parsed))
      throw new InvalidArgumentError(`expected a number, got "${value}".`);
    return parsed;
  };
}

/** Collects a repeatable option into an array. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * Parses a duration like 90s, 20m, 1.5h (plain numbers are seconds).
 * @returns A parser returning seconds.
 */
export function duration(): (value: string) => number {
  return (value) => {
    const match = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(value.trim());
    if (!match) throw new InvalidArgumentError(`expected a duration like 90s, 20m or 1h, got "${value}".`);
    const scale = match[2] === 'h' ? 3600 : match[2] === 'm' ? 60 : 1;
    return Number(match[1]) * scale;
  };
}
