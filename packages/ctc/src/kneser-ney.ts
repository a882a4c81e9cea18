import { throwIfAborted } from '@asrq/core';
import { NgramIds } from './ngram-counts.js';
import { CtcError } from './errors.js';

/** Progress of {@link buildArpa}, tagged by stage. */
export type BuildArpaProgress =
  | { status: 'counting'; sentences: number }
  | { status: 'estimating'; order: number }
  | { status: 'writing' }
  | { status: 'done'; counts: number[] };

/** Options of {@link buildArpa}. */
export interface BuildArpaOptions {
  /** N-gram order, 1 to 5. */
  order: number;
  /** Drop n-grams of order >= 2 seen only once (like lmplz --prune 0 1); their mass moves to the backoff weights. */
  pruneSingletons?: boolean;
  /** Progress callback. */
  onProgress?: (progress: BuildArpaProgress) => void;
  /** Cancels the build. */
  signal?: AbortSignal;
}

const UNK = 0;
const BOS = 1;
const EOS = 2;
const LOG10_ZERO = -99;

interface Discounts {
  d1: number;
  d2: number;
  d3: number;
}

function discountsFor(counts: ArrayLike<number>): Discounts {
  const n = [0, 0, 0, 0, 0];
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (c >= 1 && c <= 4) n[c]!++;
  }
  const [, n1, n2, n3, n4] = n as [number, number, number, number, number];
  const fallback = { d1: 0.5, d2: 1, d3: 1.5 };
  if (n1 === 0 || n2 === 0) return fallback;
  const y = n1 / (n1 + 2 * n2);
  // Chen & Goodman's estimates; clamp when the count-of-counts are too sparse to make sense.
  const clamp = (d: number, k: number, fb: number): number => (Number.isFinite(d) && d > 0 && d <= k ? d : fb);
  return {
    d1: clamp(1 - (2 * y * n2) / n1, 1, fallback.d1),
    d2: clamp(n3 === 0 ? Number.NaN : 2 - (3 * y * n3) / n2, 2, fallback.d2),
    d3: clamp(n4 === 0 || n3 === 0 ? Number.NaN : 3 - (4 * y * n4) / n3, 3, fallback.d3),
  };
}

/**
 * Estimates an interpolated modified Kneser-Ney n-gram model (Chen & Goodman 1998, as KenLM
 * lmplz and SRILM `-kndiscount -interpolate` do) from sentences and writes it as ARPA text with
 * `<s>`, `</s>` and `<unk>`. Words are split on whitespace and kept as they are (no case folding).
 *
 * Memory stays proportional to the number of distinct n-grams with a few dozen bytes each: every
 * n-gram is a dense integer id (see {@link NgramIds}) and counts, probabilities and backoffs are
 * typed arrays indexed by it; no string is made per n-gram until the ARPA text is written.
 *
 * @param sentences - One sentence per item.
 * @param options - `order` (1-5), `pruneSingletons`, `onProgress`, `signal`.
 * @returns The ARPA text.
 * @throws AsrqError `LM_BAD_ORDER` for an order outside 1-5, `LM_NO_TEXT` when there are no words, `ABORTED`.
 * @example
 * ```ts
 * const arpa = buildArpa(['THE CAT SAT', 'THE DOG SAT'], { order: 3 });
 * const lm = NgramLM.fromArpa(arpa);
 * ```
 */
export function buildArpa(sentences: Iterable<string>, options: BuildArpaOptions): string {
  const { order, pruneSingletons = false, onProgress, signal } = options;
  if (!Number.isInteger(order) || order < 1 || order > 5) {
    throw new CtcError('LM_BAD_ORDER', `LM order ${order} is not supported; use 1 to 5 (3 is typical for CTC rescoring).`);
  }
  const words = ['<unk>', '<s>', '</s>'];
  const ids = new Map<string, number>(words.map((w, i) => [w, i]));
  const unigramCounts: number[] = [0, 0, 0];
  // tables[n] holds the n-grams of order n >= 2 (index 0 and 1 unused).
  const tables: NgramIds[] = Array.from({ length: order + 1 }, () => new NgramIds());
  let sentenceCount = 0;
  const padded: number[] = [];
  // Ids of the n-grams ending at the previous / current position, by order.
  let previous = new Int32Array(order + 1);
  let current = new Int32Array(order + 1);
  for (const sentence of sentences) {
    const tokens = sentence.trim().split(/\s+/).filter((w) => w.length > 0);
    if (tokens.length === 0) continue;
    padded.length = 0;
    padded.push(BOS);
    for (const token of tokens) {
      let id = ids.get(token);
      if (id === undefined) {
        if (token === '<s>' || token === '</s>') continue;
        id = words.length;
        ids.set(token, id);
        words.push(token);
        unigramCounts.push(0);
      }
      padded.push(id);
    }
    padded.push(EOS);
    previous[1] = BOS;
    for (let end = 1; end < padded.length; end++) {
      const word = padded[end]!;
      current[1] = word;
      unigramCounts[word]!++;
      for (let n = 2; n <= order && end - n + 1 >= 0; n++) current[n] = tables[n]!.increment(previous[n - 1]!, word);
      [previous, current] = [current, previous];
    }
    sentenceCount++;
    if (sentenceCount % 10_000 === 0) {
      throwIfAborted(signal);
      onProgress?.({ status: 'counting', sentences: sentenceCount });
    }
  }
  if (sentenceCount === 0) throw new CtcError('LM_NO_TEXT', 'The LM training text has no words. Pass a file with one sentence per line.');
  onProgress?.({ status: 'counting', sentences: sentenceCount });

  const vocab = words.length;
  const sizeOf = (n: number): number => (n === 1 ? vocab : tables[n]!.size);
  // suffix[n][id]: id of the n-gram without its first word (order n-1); startsBos[n][id].
  const suffix: Int32Array[] = [new Int32Array(0), new Int32Array(0)];
  const startsBos: Uint8Array[] = [new Uint8Array(0), new Uint8Array(vocab)];
  startsBos[1]![BOS] = 1;
  for (let n = 2; n <= order; n++) {
    const table = tables[n]!;
    const sfx = new Int32Array(table.size);
    const bos = new Uint8Array(table.size);
    for (let id = 0; id < table.size; id++) {
      const prefix = table.prefix[id]!;
      bos[id] = startsBos[n - 1]![prefix]!;
      // Every suffix was counted too: it occurs wherever the n-gram does.
      sfx[id] = n === 2 ? table.word[id]! : tables[n - 1]!.find(suffix[n - 1]![prefix]!, table.word[id]!);
    }
    suffix.push(sfx);
    startsBos.push(bos);
  }
  const rawCount = (n: number, id: number): number => (n === 1 ? unigramCounts[id]! : tables[n]!.count[id]!);

  // Kneser-Ney counts: the highest order (and n-grams starting with <s>) keep raw counts;
  // lower orders count distinct left extensions. 0 = absent (the <s> unigram, unseen words).
  const adjusted: Uint32Array[] = [new Uint32Array(0)];
  for (let n = 1; n <= order; n++) adjusted.push(n === order ? (n === 1 ? Uint32Array.from(unigramCounts) : tables[n]!.count) : new Uint32Array(sizeOf(n)));
  for (let n = order - 1; n >= 1; n--) {
    const target = adjusted[n]!;
    const sfx = suffix[n + 1]!;
    for (let id = 0; id < sfx.length; id++) target[sfx[id]!]!++;
    const bos = startsBos[n]!;
    for (let id = 0; id < target.length; id++) if (bos[id] === 1) target[id] = rawCount(n, id);
  }
  adjusted[1]![BOS] = 0;

  // Interpolated probabilities of every n-gram (natural probabilities, not logs).
  const prob: Float64Array[] = [new Float64Array(0)];
  const predictable = vocab - 1; // everything but <s>
  for (let n = 1; n <= order; n++) {
    throwIfAborted(signal);
    onProgress?.({ status: 'estimating', order: n });
    const counts = adjusted[n]!;
    const d = discountsFor(counts);
    const discount = (c: number): number => (c === 1 ? d.d1 : c === 2 ? d.d2 : d.d3);
    const contexts = n === 1 ? 1 : sizeOf(n - 1);
    const total = new Float64Array(contexts);
    const mass = new Float64Array(contexts);
    const contextOf = (id: number): number => (n === 1 ? 0 : tables[n]!.prefix[id]!);
    for (let id = 0; id < counts.length; id++) {
      const c = counts[id]!;
      if (c === 0) continue;
      const ctx = contextOf(id);
      total[ctx]! += c;
      mass[ctx]! += discount(c);
    }
    const probs = new Float64Array(counts.length);
    const lower = prob[n - 1]!;
    for (let id = 0; id < counts.length; id++) {
      const c = counts[id]!;
      if (c === 0) continue;
      const ctx = contextOf(id);
      const lowerProb = n === 1 ? 1 / predictable : lower[suffix[n]![id]!]!;
      probs[id] = (c - discount(c)) / total[ctx]! + (mass[ctx]! / total[ctx]!) * lowerProb;
    }
    if (n === 1) for (let id = 0; id < vocab; id++) if (id !== BOS && counts[id] === 0) probs[id] = mass[0]! / total[0]! / predictable;
    prob.push(probs);
  }

  // Kept n-grams; singletons pruned from order 2 up. Raw counts decide, so every kept
  // n-gram's prefix and suffix are kept too (each has a count at least as large).
  const kept: Uint8Array[] = [new Uint8Array(0), new Uint8Array(vocab).fill(1)];
  for (let n = 2; n <= order; n++) {
    const flags = new Uint8Array(sizeOf(n));
    for (let id = 0; id < flags.length; id++) flags[id] = pruneSingletons && tables[n]!.count[id]! <= 1 ? 0 : 1;
    kept.push(flags);
  }
  const log10Prob: Float64Array[] = prob.map((p) => p.map((x) => Math.log10(x)));
  log10Prob[1]![BOS] = LOG10_ZERO;
  const log10Backoff: Float64Array[] = Array.from({ length: order + 1 }, (_, n) => new Float64Array(n === 0 ? 0 : sizeOf(n)));
  // P under the final backoff model, for orders whose backoffs are already set.
  const modelLog10 = (n: number, id: number): number => {
    if (n === 1 || kept[n]![id] === 1) return log10Prob[n]![id]!;
    return log10Backoff[n - 1]![tables[n]!.prefix[id]!]! + modelLog10(n - 1, suffix[n]![id]!);
  };
  // Backoff weights that renormalise each context over what was kept (equal to the
  // Kneser-Ney gamma when nothing is pruned).
  for (let n = 2; n <= order; n++) {
    throwIfAborted(signal);
    const contexts = sizeOf(n - 1);
    const high = new Float64Array(contexts);
    const low = new Float64Array(contexts);
    const touched = new Uint8Array(contexts);
    const table = tables[n]!;
    for (let id = 0; id < table.size; id++) {
      if (kept[n]![id] !== 1) continue;
      const ctx = table.prefix[id]!;
      touched[ctx] = 1;
      high[ctx]! += 10 ** log10Prob[n]![id]!;
      low[ctx]! += 10 ** modelLog10(n - 1, suffix[n]![id]!);
    }
    const backoff = log10Backoff[n - 1]!;
    for (let ctx = 0; ctx < contexts; ctx++) {
      if (touched[ctx] === 1) backoff[ctx] = Math.log10(Math.max(1 - high[ctx]!, 1e-12) / Math.max(1 - low[ctx]!, 1e-12));
    }
  }

  onProgress?.({ status: 'writing' });
  const format = (x: number): string => String(Number(x.toPrecision(7)));
  const textOf = (n: number, id: number): string => (n === 1 ? words[id]! : `${textOf(n - 1, tables[n]!.prefix[id]!)} ${words[tables[n]!.word[id]!]!}`);
  const counts: number[] = [];
  for (let n = 1; n <= order; n++) counts.push(kept[n]!.reduce((s, k) => s + k, 0));
  // n-grams sharing a context are written together (grouped by prefix id, as KenLM's and
  // SRILM's sorted files are), so readers that cache the last context can skip its lookup.
  const writeOrder = (n: number): Int32Array => {
    const size = sizeOf(n);
    if (n === 1) return Int32Array.from({ length: size }, (_, i) => i);
    const prefixes = tables[n]!.prefix;
    const starts = new Int32Array(sizeOf(n - 1) + 1);
    for (let id = 0; id < size; id++) starts[prefixes[id]! + 1]!++;
    for (let p = 1; p < starts.length; p++) starts[p]! += starts[p - 1]!;
    const order = new Int32Array(size);
    for (let id = 0; id < size; id++) order[starts[prefixes[id]!]!++] = id;
    return order;
  };
  // Chunks of about 1 MB rather than one string per line.
  const chunks: string[] = [];
  let chunk = ['\\data\\', ...counts.map((c, i) => `ngram ${i + 1}=${c}`)].join('\n');
  for (let n = 1; n <= order; n++) {
    chunk += `\n\n\\${n}-grams:`;
    const probs = log10Prob[n]!;
    const backoffs = log10Backoff[n]!;
    const lastWord = (id: number): number => (n === 1 ? id : tables[n]!.word[id]!);
    for (const id of writeOrder(n)) {
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
  onProgress?.({ status: 'done', counts });
  return chunks.join('');
}
