/**
 * The order in which to run several models in one round of an interleaved measurement: as given
 * in even rounds, reversed in odd ones (A, B, C, then C, B, A, ...), so no model always runs
 * first and machine noise (clock boosts, cache state, other jobs) falls on all of them alike.
 * `asrq bench` alternates per utterance; the planner's speed probe per round.
 * @param items - The models (or their indices) in their listed order.
 * @param round - Round (or utterance) number from 0.
 * @returns A new array in this round's order.
 * @example
 * ```ts
 * interleavedOrder(['a', 'b', 'c'], 1); // ['c', 'b', 'a']
 * ```
 */
export function interleavedOrder<T>(items: readonly T[], round: number): T[] {
  return round % 2 === 0 ? [...items] : [...items].reverse();
}
