// The Kneser-Ney builder as it was before counts moved into typed arrays: bench/kn-memory.ts compares peak memory and time with it, and src/kneser-ney.test.ts checks the new builder writes the same model.
import { AsrqError, throwIfAborted } from '@asrq/core';

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

function discountsFor(counts: Iterable<number>): Discounts {
  const n = [0, 0, 0, 0, 0];
  for (const c of counts) if (c >= 1 && c <= 4) n[c]!++;
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

const contextOf = (key: string): string => {
  const cut = key.lastIndexOf(' ');
  return cut < 0 ? '' : key.slice(0, cut);
};
const suffixOf = (key: string): string => {
  const cut = key.indexOf(' ');
  return cut < 0 ? '' : key.slice(cut + 1);
};
const lastOf = (key: string): string => key.slice(key.lastIndexOf(' ') + 1);

/**
 * Estimates an interpolated modified Kneser-Ney n-gram model (Chen & Goodman 1998, as KenLM
 * lmplz and SRILM `-kndiscount -interpolate` do) from sentences and writes it as ARPA text with
 * `<s>`, `</s>` and `<unk>`. Words are split on whitespace and kept as they are (no case folding).
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
export function legacyBuildArpa(sentences: Iterable<string>, options: BuildArpaOptions): string {
  const { order, pruneSingletons = false, onProgress, signal } = options;
  if (!Number.isInteger(order) || order < 1 || order > 5) {
    throw new AsrqError(
      'LM_BAD_ORDER',
      `LM order ${order} is not supported; use 1 to 5 (3 is typical for CTC rescoring).`,
    );
  }
  const words = ['<unk>', '<s>', '</s>'];
  const ids = new Map<string, number>(words.map((w, i) => [w, i]));
  // raw[n-1]: n-gram key (space-joined word ids) -> count.
  const raw: Map<string, number>[] = Array.from({ length: order }, () => new Map());
  let sentenceCount = 0;
  const padded: number[] = [];
  for (const sentence of sentences) {
    const tokens = sentence
      .trim()
      .split(/\s+/)
      .filter((w) => w.length > 0);
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
      }
      padded.push(id);
    }
    padded.push(EOS);
    for (let end = 1; end < padded.length; end++) {
      let key = '';
      for (let n = 1; n <= order && end - n + 1 >= 0; n++) {
        key = n === 1 ? String(padded[end]) : `${padded[end - n + 1]} ${key}`;
        const map = raw[n - 1]!;
        map.set(key, (map.get(key) ?? 0) + 1);
      }
    }
    sentenceCount++;
    if (sentenceCount % 10_000 === 0) {
      throwIfAborted(signal);
      onProgress?.({ status: 'counting', sentences: sentenceCount });
    }
  }
  if (sentenceCount === 0)
    throw new AsrqError('LM_NO_TEXT', 'The LM training text has no words. Pass a file with one sentence per line.');
  onProgress?.({ status: 'counting', sentences: sentenceCount });

  // Kneser-Ney counts: the highest order (and n-grams starting with <s>) keep raw counts;
  // lower orders count distinct left extensions.
  const adjusted: Map<string, number>[] = raw.map((map, i) => (i === order - 1 ? map : new Map()));
  for (let n = order - 1; n >= 1; n--) {
    const target = adjusted[n - 1]!;
    for (const key of raw[n]!.keys()) {
      const suffix = suffixOf(key);
      target.set(suffix, (target.get(suffix) ?? 0) + 1);
    }
    for (const [key, count] of raw[n - 1]!) {
      if (key === String(BOS) || key.startsWith(`${BOS} `)) target.set(key, count);
    }
  }
  adjusted[0]!.delete(String(BOS));

  // Interpolated probabilities of every n-gram (natural probabilities, not logs).
  const prob: Map<string, number>[] = [];
  const predictable = words.length - 1; // everything but <s>
  for (let n = 1; n <= order; n++) {
    throwIfAborted(signal);
    onProgress?.({ status: 'estimating', order: n });
    const counts = adjusted[n - 1]!;
    const d = discountsFor(counts.values());
    const discount = (c: number): number => (c === 1 ? d.d1 : c === 2 ? d.d2 : d.d3);
    const stats = new Map<string, { total: number; mass: number }>();
    for (const [key, count] of counts) {
      const context = contextOf(key);
      let s = stats.get(context);
      if (!s) stats.set(context, (s = { total: 0, mass: 0 }));
      s.total += count;
      s.mass += discount(count);
    }
    const probs = new Map<string, number>();
    const lower = prob[n - 2];
    for (const [key, count] of counts) {
      const s = stats.get(contextOf(key))!;
      const gamma = s.mass / s.total;
      const lowerProb = n === 1 ? 1 / predictable : lower!.get(suffixOf(key))!;
      probs.set(key, (count - discount(count)) / s.total + gamma * lowerProb);
    }
    if (n === 1) {
      const s = stats.get('')!;
      for (let id = 0; id < words.length; id++) {
        if (id !== BOS && !probs.has(String(id))) probs.set(String(id), s.mass / s.total / predictable);
      }
    }
    prob.push(probs);
  }

  // Kept n-grams; singletons pruned from order 2 up. Raw counts decide, so every kept
  // n-gram's prefix and suffix are kept too (each has a count at least as large).
  const kept: string[][] = [];
  for (let n = 1; n <= order; n++) {
    const keys: string[] = [];
    for (const key of prob[n - 1]!.keys()) {
      if (pruneSingletons && n >= 2 && (raw[n - 1]!.get(key) ?? 0) <= 1) continue;
      keys.push(key);
    }
    if (n === 1) keys.splice(1, 0, String(BOS));
    kept.push(keys);
  }
  const log10Prob: Map<string, number>[] = kept.map(
    (keys, i) => new Map(keys.map((key) => [key, key === String(BOS) ? LOG10_ZERO : Math.log10(prob[i]!.get(key)!)])),
  );
  const log10Backoff: Map<string, number>[] = kept.map(() => new Map());
  // P under the final backoff model, for orders whose backoffs are already set.
  const modelLog10 = (key: string, n: number): number => {
    const direct = log10Prob[n - 1]!.get(key);
    if (direct !== undefined) return direct;
    return (log10Backoff[n - 2]!.get(contextOf(key)) ?? 0) + modelLog10(suffixOf(key), n - 1);
  };
  // Backoff weights that renormalise each context over what was kept (equal to the
  // Kneser-Ney gamma when nothing is pruned).
  for (let n = 2; n <= order; n++) {
    throwIfAborted(signal);
    const sums = new Map<string, { high: number; low: number }>();
    for (const key of kept[n - 1]!) {
      const context = contextOf(key);
      let s = sums.get(context);
      if (!s) sums.set(context, (s = { high: 0, low: 0 }));
      s.high += 10 ** log10Prob[n - 1]!.get(key)!;
      s.low += 10 ** modelLog10(suffixOf(key), n - 1);
    }
    for (const [context, s] of sums) {
      const numerator = Math.max(1 - s.high, 1e-12);
      const denominator = Math.max(1 - s.low, 1e-12);
      log10Backoff[n - 2]!.set(context, Math.log10(numerator / denominator));
    }
  }

  onProgress?.({ status: 'writing' });
  const format = (x: number): string => String(Number(x.toPrecision(7)));
  const out: string[] = ['\\data\\'];
  kept.forEach((keys, i) => out.push(`ngram ${i + 1}=${keys.length}`));
  for (let n = 1; n <= order; n++) {
    out.push('', `\\${n}-grams:`);
    const probs = log10Prob[n - 1]!;
    const backoffs = log10Backoff[n - 1];
    for (const key of kept[n - 1]!) {
      const text = key
        .split(' ')
        .map((id) => words[Number(id)])
        .join(' ');
      const line = `${format(probs.get(key)!)}\t${text}`;
      out.push(n < order && lastOf(key) !== String(EOS) ? `${line}\t${format(backoffs?.get(key) ?? 0)}` : line);
    }
  }
  out.push('', '\\end\\', '');
  const counts = kept.map((keys) => keys.length);
  onProgress?.({ status: 'done', counts });
  return out.join('\n');
}
