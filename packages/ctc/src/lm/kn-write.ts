import { EOS, sizeOf, type KnCounts } from './kn-count.js';
import type { KnModel } from './kn-estimate.js';

// n-grams sharing a context are written together (grouped by prefix id, as KenLM's and
// SRILM's sorted files are), so readers that cache the last context can skip its lookup.
function writeOrder(counts: KnCounts, n: number): Int32Array {
  const size = sizeOf(counts, n);
  if (n === 1) return Int32Array.from({ length: size }, (_, i) => i);
  const prefixes = counts.tables[n]!.prefix;
  const starts = new Int32Array(sizeOf(counts, n - 1) + 1);
  for (let id = 0; id < size; id++) starts[prefixes[id]! + 1]!++;
  for (let p = 1; p < starts.length; p++) starts[p]! += starts[p - 1]!;
  const order = new Int32Array(size);
  for (let id = 0; id < size; id++) order[starts[prefixes[id]!]!++] = id;
  return order;
}

/**
 * Writes the kept n-grams as ARPA text (probabilities and backoffs to 7 significant digits;
 * no backoff on the highest order or on n-grams ending in `</s>`).
 * @param counts - The n-grams and words.
 * @param model - Their estimates.
 * @returns The ARPA text and the n-gram count per order.
 */
export function writeKneserNeyArpa(counts: KnCounts, model: KnModel): { text: string; counts: number[] } {
  const { order, tables, words } = counts;
  const { kept, log10Prob, log10Backoff } = model;
  const format = (x: number): string => String(Number(x.toPrecision(7)));
  const textOf = (n: number, id: number): string =>
    n === 1 ? words[id]! : `${textOf(n - 1, tables[n]!.prefix[id]!)} ${words[tables[n]!.word[id]!]!}`;
  const written: number[] = [];
  for (let n = 1; n <= order; n++) written.push(kept[n]!.reduce((s, k) => s + k, 0));
  // Chunks of about 1 MB rather than one string per line.
  const chunks: string[] = [];
  let chunk = ['\\data\\', ...written.map((c, i) => `ngram ${i + 1}=${c}`)].join('\n');
  for (let n = 1; n <= order; n++) {
    chunk += `\n\n\\${n}-grams:`;
    const probs = log10Prob[n]!;
    const backoffs = log10Backoff[n]!;
    const lastWord = (id: number): number => (n === 1 ? id : tables[n]!.word[id]!);
    for (const id of writeOrder(counts, n)) {
      if (kept[n]![id] !== 1) continue;
      chunk += `\n${format(probs[id]!)}\t${textOf(n, id)}`;
      if (n < order && lastWord(id) !== EOS) chunk += `\t${format(backoffs[id]!)}`;
      if (chunk.length > 1 << 20) {
        chunks.push(chunk);
        chunk = '';
      }
    }
  }
  chunk += '\n\n\\end\\\n';
  chunks.push(chunk);
  return { text: chunks.join(''), counts: written };
}
