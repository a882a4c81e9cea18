import { CtcError } from '../errors.js';

/**
 * Phrase hotwords for the beam search, in the spirit of pyctcdecode's HotwordScorer but over
 * whole phrases: a phrase of n words earns `weight × n` once its last word is completed (banked
 * in the prefix's LM score); while it is being spelled, the prefix earns the same bonus scaled by
 * the share of the phrase's characters spelled so far (ranking only, recomputed per prefix), so
 * a prefix that abandons the phrase keeps no bonus at all. A single word is a phrase of one.
 *
 * The matching state of a prefix is the longest run of its last completed words that starts some
 * phrase (a state id), so overlapping phrases and restarts are handled like a word-level
 * Aho-Corasick automaton. Transitions and partial bonuses are memoised per (state, text).
 */
/** Most hotword phrases (each is compared with every prefix being spelled). */
export const MAX_HOTWORD_PHRASES = 10_000;
/** Most words in one phrase (a phrase of k words keeps k prefixes of up to k words: k^2 memory). */
export const MAX_HOTWORD_WORDS = 32;
/** Most characters in one phrase. */
export const MAX_HOTWORD_CHARS = 256;

/**
 * Checks hotword phrases against {@link MAX_HOTWORD_PHRASES}, {@link MAX_HOTWORD_WORDS} and
 * {@link MAX_HOTWORD_CHARS}: a 100,000-word phrase took more than 4 GB.
 * @param phrases - The phrases (whitespace-separated words).
 * @throws AsrqError `CTC_BAD_OPTION` naming the first phrase beyond a limit (its start) and the limit.
 */
export function checkHotwords(phrases: readonly string[]): void {
  if (phrases.length > MAX_HOTWORD_PHRASES)
    throw new CtcError(
      'CTC_BAD_OPTION',
      `hotwords: ${phrases.length} phrases, at most ${MAX_HOTWORD_PHRASES} are supported; keep the words that matter.`,
    );
  phrases.forEach((phrase, i) => {
    const words = phrase.trim().split(/\s+/).filter(Boolean).length;
    if (words > MAX_HOTWORD_WORDS || phrase.length > MAX_HOTWORD_CHARS)
      throw new CtcError(
        'CTC_BAD_OPTION',
        `hotwords[${i}] ("${phrase.slice(0, 40)}${phrase.length > 40 ? '...' : ''}") has ${words} words and ${phrase.length} characters; a phrase may have at most ${MAX_HOTWORD_WORDS} words and ${MAX_HOTWORD_CHARS} characters (hotwords are names and short phrases).`,
      );
  });
}

export class PhraseHotwords {
  /** State id -> the words it stands for, joined by single spaces ('' = no phrase in progress). */
  private readonly states: string[] = [''];
  private readonly stateIds = new Map<string, number>([['', 0]]);
  /** Phrase text -> its word count. */
  private readonly phrases = new Map<string, number>();
  private readonly advanceMemo = new Map<string, number>();
  private readonly bankedMemo = new Map<string, number>();
  private readonly partialMemo = new Map<string, number>();
  /** Bonus banked by the last {@link PhraseHotwords.advance} call. */
  banked = 0;

  /**
   * @param phrases - Hotwords or phrases (whitespace-separated words; blank entries ignored).
   * @param weight - Bonus per word of a completed phrase (natural-log units).
   */
  constructor(
    phrases: readonly string[],
    private readonly weight: number,
  ) {
    checkHotwords(phrases);
    for (const raw of phrases) {
      const words = raw.trim().split(/\s+/).filter(Boolean);
      if (words.length === 0) continue;
      this.phrases.set(words.join(' '), words.length);
      for (let k = 1; k <= words.length; k++) {
        const prefix = words.slice(0, k).join(' ');
        if (!this.stateIds.has(prefix)) {
          this.stateIds.set(prefix, this.states.length);
          this.states.push(prefix);
        }
      }
    }
  }

  /** Whether any phrase was given. */
  get active(): boolean {
    return this.phrases.size > 0;
  }

  /**
   * The state after completing `word`; the bonus of a phrase completed by it is left in
   * {@link PhraseHotwords.banked}.
   * @param state - State before the word.
   * @param word - The completed word.
   * @returns The next state.
   */
  advance(state: number, word: string): number {
    const key = `${state}\u0000${word}`;
    const memo = this.advanceMemo.get(key);
    if (memo !== undefined) {
      this.banked = this.bankedMemo.get(key)!;
      return memo;
    }
    const words = this.states[state]!.split(' ').filter(Boolean);
    words.push(word);
    let banked = 0;
    let next = 0;
    // Longest completed phrase ending here, and longest suffix that still starts a phrase.
    for (let i = 0; i < words.length; i++) {
      const suffix = words.slice(i).join(' ');
      if (banked === 0 && this.phrases.has(suffix)) banked = this.weight * this.phrases.get(suffix)!;
      if (next === 0 && this.stateIds.has(suffix) && this.extends(suffix)) next = this.stateIds.get(suffix)!;
    }
    this.advanceMemo.set(key, next);
    this.bankedMemo.set(key, banked);
    this.banked = banked;
    return next;
  }

  /** Whether some phrase is longer than `prefix` and starts with it (so matching can go on). */
  private extends(prefix: string): boolean {
    for (const phrase of this.phrases.keys())
      if (phrase.length > prefix.length && phrase.startsWith(`${prefix} `)) return true;
    return false;
  }

  /**
   * Ranking-only bonus of a prefix in `state` whose unfinished word so far is `partial` ('' between words).
   * @param state - Matching state after the completed words.
   * @param partial - Characters of the unfinished word.
   * @returns weight × (words of the phrase) × (share of its characters spelled), best over the phrases being spelled; 0 if none.
   */
  partial(state: number, partial: string): number {
    if (state === 0 && partial === '') return 0;
    const key = `${state}\u0000${partial}`;
    const memo = this.partialMemo.get(key);
    if (memo !== undefined) return memo;
    const words = this.states[state]!.split(' ').filter(Boolean);
    let best = 0;
    for (let i = 0; i <= words.length; i++) {
      const done = words.slice(i).join(' ');
      // The spelled text must be a proper prefix of the phrase, ending inside a word (partial) or at a word boundary.
      const spelled = partial === '' ? done : done === '' ? partial : `${done} ${partial}`;
      if (spelled === '') continue;
      const boundary = partial === '' ? `${spelled} ` : spelled;
      for (const [phrase, count] of this.phrases) {
        if (phrase.length <= spelled.length || !phrase.startsWith(boundary)) continue;
        best = Math.max(best, (this.weight * count * spelled.length) / phrase.length);
      }
    }
    this.partialMemo.set(key, best);
    return best;
  }
}
