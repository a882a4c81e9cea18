/**
 * A seeded pseudo-random generator (mulberry32): the same seed gives the same sequence on
 * every machine, so "10 random calibration utterances" is reproducible.
 *
 * @param seed - Any 32-bit integer.
 * @returns A function returning floats uniform in [0, 1).
 * @example
 * ```ts
 * const rand = seededRandom(1234);
 * rand(); // 0.0... always the same for seed 1234
 * ```
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Picks `n` distinct items uniformly at random with a seed, keeping their original order.
 *
 * @param items - Items to pick from (not modified).
 * @param n - How many to pick; all items when n >= items.length.
 * @param seed - Seed for {@link seededRandom}.
 * @returns The chosen items, in the order they had in `items`.
 */
export function seededSample<T>(items: readonly T[], n: number, seed: number): T[] {
  if (n >= items.length) return items.slice();
  const rand = seededRandom(seed);
  const index = items.map((_, i) => i);
  // Partial Fisher-Yates: the first n slots end up a uniform sample.
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rand() * (index.length - i));
    [index[i], index[j]] = [index[j]!, index[i]!];
  }
  return index
    .slice(0, n)
    .sort((a, b) => a - b)
    .map((i) => items[i]!);
}
