import type { Assignment, Candidate } from './groups.js';
import { candidateKey } from './groups.js';

/** Cheap signals about one candidate of one group. */
export interface CandidateSignal {
  candidate: Candidate;
  /** SQNR (dB) of the model's output with only this group quantized this way (Infinity = unchanged). */
  sqnrDb: number;
  /** Estimated fraction of the float model's time this saves (time share × measured family speedup). */
  saving: number;
}

/** Cheap signals about one group. */
export interface GroupSignal {
  id: string;
  /** Fraction of the float model's kernel time spent in this group's nodes. */
  timeShare: number;
  candidates: CandidateSignal[];
}

/** One step of the back-off sequence: a group moves to its next safer candidate. */
export interface BackoffMove {
  group: string;
  from: string;
  to: string;
  /** Output noise removed (linear, relative to the signal power) per unit of time saving given up. */
  priority: number;
}

/** Noise power relative to signal power for an SQNR in dB (0 for an unchanged output). */
export function noiseOf(sqnrDb: number): number {
  return Number.isFinite(sqnrDb) ? 10 ** (-sqnrDb / 10) : 0;
}

/**
 * The ladder of a group: its candidates from most aggressive (largest saving) to float, keeping
 * only those that are more accurate (higher SQNR) than every faster one, i.e. its Pareto front
 * over (saving, SQNR). Candidates below `minSqnrDb` or saving less than `minSaving` are pruned.
 * @param group - Signals of the group.
 * @param options - Pruning thresholds.
 * @returns Ladder, float last.
 * @example
 * ```ts
 * ladder({ id: 'g', timeShare: 0.2, candidates: [{ candidate: { mode: 'dynamic', perChannel: true }, sqnrDb: 30, saving: 0.1 }] }, { minSqnrDb: 10, minSaving: 0.001 });
 * ```
 */
export function ladder(group: GroupSignal, options: { minSqnrDb: number; minSaving: number }): CandidateSignal[] {
  const usable = group.candidates
    .filter((c) => c.candidate.mode !== 'float' && c.sqnrDb >= options.minSqnrDb && c.saving >= options.minSaving)
    .sort((a, b) => b.saving - a.saving || b.sqnrDb - a.sqnrDb);
  const steps: CandidateSignal[] = [];
  for (const c of usable) if (steps.every((s) => c.sqnrDb > s.sqnrDb)) steps.push(c);
  steps.push({ candidate: { mode: 'float' }, sqnrDb: Number.POSITIVE_INFINITY, saving: 0 });
  return steps;
}

/**
 * The most aggressive assignment and the ordered back-off moves: at each step, of the groups'
 * next safer rungs, the one removing the most output noise per unit of time saving lost
 * (ΔSQNR-noise / Δsaving) goes first. Applying the first k moves gives plan k; k = moves.length
 * is all float. The search bisects over k.
 * @param groups - Signals.
 * @param options - Pruning thresholds (see {@link ladder}).
 * @returns Start assignment, moves, and a function giving the assignment after k moves.
 * @example
 * ```ts
 * const { moves, assignmentAt } = rankBackoff(signals, { minSqnrDb: 10, minSaving: 0.002 });
 * const plan3 = assignmentAt(3);
 * ```
 */
export function rankBackoff(
  groups: readonly GroupSignal[],
  options: { minSqnrDb: number; minSaving: number },
): {
  moves: BackoffMove[];
  assignmentAt: (k: number) => Assignment;
  predictedSqnrAt: (k: number) => number;
  savingAt: (k: number) => number;
} {
  const ladders = new Map(groups.map((g) => [g.id, ladder(g, options)]));
  const position = new Map(groups.map((g) => [g.id, 0]));
  const moves: BackoffMove[] = [];
  for (;;) {
    let best: BackoffMove | undefined;
    for (const [id, steps] of ladders) {
      const i = position.get(id)!;
      if (i >= steps.length - 1) continue;
      const a = steps[i]!,
        b = steps[i + 1]!;
      const priority = (noiseOf(a.sqnrDb) - noiseOf(b.sqnrDb)) / Math.max(a.saving - b.saving, 1e-9);
      if (!best || priority > best.priority)
        best = { group: id, from: candidateKey(a.candidate), to: candidateKey(b.candidate), priority };
    }
    if (!best) break;
    moves.push(best);
    position.set(best.group, position.get(best.group)! + 1);
  }
  const stateAt = (k: number): Map<string, CandidateSignal> => {
    const pos = new Map(groups.map((g) => [g.id, 0]));
    for (const m of moves.slice(0, k)) pos.set(m.group, pos.get(m.group)! + 1);
    return new Map([...ladders].map(([id, steps]) => [id, steps[pos.get(id)!]!]));
  };
  return {
    moves,
    assignmentAt: (k) =>
      Object.fromEntries(
        [...stateAt(k)].filter(([, c]) => c.candidate.mode !== 'float').map(([id, c]) => [id, c.candidate]),
      ),
    predictedSqnrAt: (k) => {
      let noise = 0;
      for (const c of stateAt(k).values()) noise += noiseOf(c.sqnrDb);
      return noise === 0 ? Number.POSITIVE_INFINITY : -10 * Math.log10(noise);
    },
    savingAt: (k) => {
      let s = 0;
      for (const c of stateAt(k).values()) s += c.saving;
      return s;
    },
  };
}

/**
 * The Pareto front of points over (rtf, wer), both lower-is-better: the points no other point
 * beats on one without losing on the other. Sorted by rtf.
 * @param points - Anything with `rtfEncoder` and `wer`.
 * @returns The non-dominated points.
 * @example
 * ```ts
 * paretoFront([{ rtfEncoder: 0.1, wer: 10 }, { rtfEncoder: 0.2, wer: 12 }]); // the first only
 * ```
 */
export function paretoFront<T extends { rtfEncoder: number; wer: number }>(points: readonly T[]): T[] {
  const sorted = [...points].sort((a, b) => a.rtfEncoder - b.rtfEncoder || a.wer - b.wer);
  const front: T[] = [];
  for (const p of sorted) if (front.length === 0 || p.wer < front[front.length - 1]!.wer) front.push(p);
  return front;
}
