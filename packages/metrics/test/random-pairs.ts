import { seededRandom } from '@asrq/core';

/** Random word sequences over a small vocabulary, so that matches, ties and all edit kinds occur often. */
export function randomWords(rand: () => number, maxLength: number, vocabulary: readonly string[]): string[] {
  const length = Math.floor(rand() * (maxLength + 1));
  return Array.from({ length }, () => vocabulary[Math.floor(rand() * vocabulary.length)]!);
}

/** `count` seeded ref/hyp pairs; hypotheses are usually a noisy copy of the reference, sometimes unrelated. */
export function randomPairs(
  count: number,
  seed: number,
  options: { maxLength?: number; vocabulary?: readonly string[] } = {},
) {
  const rand = seededRandom(seed);
  const vocabulary = options.vocabulary ?? ['a', 'b', 'c', 'd', 'e', 'f'];
  const maxLength = options.maxLength ?? 12;
  return Array.from({ length: count }, (_, k) => {
    const ref = randomWords(rand, maxLength, vocabulary);
    let hyp: string[];
    if (rand() < 0.3) {
      hyp = randomWords(rand, maxLength, vocabulary);
    } else {
      hyp = [];
      for (const word of ref) {
        const x = rand();
        if (x < 0.1) continue;
        hyp.push(x < 0.25 ? vocabulary[Math.floor(rand() * vocabulary.length)]! : word);
        if (rand() < 0.1) hyp.push(vocabulary[Math.floor(rand() * vocabulary.length)]!);
      }
    }
    return { id: `s${k % 7}-u${k}`, ref: ref.join(' '), hyp: hyp.join(' ') };
  });
}
