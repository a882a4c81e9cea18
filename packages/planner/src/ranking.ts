import type { Assignment, Candidate } from './groups.js';
import { candidateKey } from './groups.js';
import { formatBytes } from '@asrq/onnx';
import { PlannerError } from './errors.js';

/** Cheap signals about one candidate of one group. */
export interface CandidateSignal {
  candidate: Candidate;
  /** SQNR (dB) of the model's output with only this group quantized this way (Infinity = unchanged). */
  sqnrDb: number;
  /** Estimated fraction of the float model's time this saves (time share × measured family speedup). */
  saving: number;
  /** Model size change (bytes, negative = smaller) with only this group quantized this way, measured on the encoded model; absent in journals of older versions. */
  bytes?: number;
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

/** Options of {@link rankBackoff}. */
export interface RankOptions {
  /** Candidates below this single-group SQNR are pruned. */
  minSqnrDb: number;
  /** Candidates saving less than this share of float time are not on a group's ladder. */
  minSaving: number;
  /**
   * Size budget: the float model's size and the largest model size (bytes). Every plan of the
   * sequence is predicted to fit, from each candidate's measured size change (`bytes`).
   */
  size?: { floatBytes: number; maxBytes: number };
}

/** The back-off sequence {@link rankBackoff} returns. */
export interface BackoffRanking {
  moves: BackoffMove[];
  /** The assignment after k moves (k = 0: the most aggressive plan). */
  assignmentAt: (k: number) => Assignment;
  predictedSqnrAt: (k: number) => number;
  savingAt: (k: number) => number;
  /** Predicted model size after k moves (bytes; the float size plus the candidates' size changes), when there is a size budget. */
  bytesAt: (k: number) => number | undefined;
  /** Plan `moves.length` is the float model (so it needs no trial); false when the size budget keeps groups quantized. */
  endsFloat: boolean;
  /** Groups the size budget moved off their ladder, with the candidate it chose for them; they keep it in every plan. */
  pinned: Record<string, string>;
}

/** A group's state: where it is on its ladder, or the candidate the size budget pinned it to. */
interface GroupState {
  steps: CandidateSignal[];
  at: number;
  pinned?: CandidateSignal | undefined;
}

const current = (g: GroupState): CandidateSignal => g.pinned ?? g.steps[g.at]!;
const bytesOf = (c: CandidateSignal): number => c.bytes ?? 0;

/**
 * The most aggressive assignment and the ordered back-off moves: at each step, of the groups'
 * next safer rungs, the one removing the most output noise per unit of time saving lost
 * (ΔSQNR-noise / Δsaving) goes first. Applying the first k moves gives plan k; k = moves.length
 * is all float. The search bisects over k.
 *
 * With a size budget the most aggressive plan must also fit: while it is predicted too large, the
 * group change adding the least output noise per byte saved is made (any smaller candidate of any
 * group, 4-bit weights included), and that group keeps its candidate in every plan. Back-off moves
 * that would take the predicted size over the budget are left out, so the last plan need not be
 * float.
 * @param groups - Signals.
 * @param options - Pruning thresholds (see {@link ladder}) and the size budget.
 * @returns Start assignment, moves, and functions giving the assignment (and its predictions) after k moves.
 * @throws PlannerError `PLANNER_SIZE_UNREACHABLE` when not even the smallest candidates fit the size budget.
 * @example
 * ```ts
 * const { moves, assignmentAt } = rankBackoff(signals, { minSqnrDb: 10, minSaving: 0.002 });
 * const plan3 = assignmentAt(3);
 * ```
 */
export function rankBackoff(groups: readonly GroupSignal[], options: RankOptions): BackoffRanking {
  const start = new Map<string, GroupState>(groups.map((g) => [g.id, { steps: ladder(g, options), at: 0 }]));
  const size = options.size;
  const total = (state: Map<string, GroupState>): number =>
    (size?.floatBytes ?? 0) + [...state.values()].reduce((s, g) => s + bytesOf(current(g)), 0);
  if (size) fitToSize(groups, start, total, size.maxBytes, options.minSqnrDb);
  const moves: BackoffMove[] = [];
  const state = new Map([...start].map(([id, g]) => [id, { ...g }]));
  for (;;) {
    let best: BackoffMove | undefined;
    for (const [id, g] of state) {
      if (g.pinned || g.at >= g.steps.length - 1) continue;
      const a = g.steps[g.at]!,
        b = g.steps[g.at + 1]!;
      if (size && total(state) - bytesOf(a) + bytesOf(b) > size.maxBytes) continue;
      const priority = (noiseOf(a.sqnrDb) - noiseOf(b.sqnrDb)) / Math.max(a.saving - b.saving, 1e-9);
      if (!best || priority > best.priority)
        best = { group: id, from: candidateKey(a.candidate), to: candidateKey(b.candidate), priority };
    }
    if (!best) break;
    moves.push(best);
    state.get(best.group)!.at++;
  }
  const stateAt = (k: number): Map<string, GroupState> => {
    const s = new Map([...start].map(([id, g]) => [id, { ...g }]));
    for (const m of moves.slice(0, k)) s.get(m.group)!.at++;
    return s;
  };
  const candidatesAt = (k: number): CandidateSignal[] => [...stateAt(k).values()].map(current);
  return {
    moves,
    assignmentAt: (k) =>
      Object.fromEntries(
        [...stateAt(k)].map(([id, g]) => [id, current(g).candidate] as const).filter(([, c]) => c.mode !== 'float'),
      ),
    predictedSqnrAt: (k) => {
      let noise = 0;
      for (const c of candidatesAt(k)) noise += noiseOf(c.sqnrDb);
      return noise === 0 ? Number.POSITIVE_INFINITY : -10 * Math.log10(noise);
    },
    savingAt: (k) => candidatesAt(k).reduce((s, c) => s + c.saving, 0),
    bytesAt: (k) => (size ? total(stateAt(k)) : undefined),
    endsFloat: candidatesAt(moves.length).every((c) => c.candidate.mode === 'float'),
    pinned: Object.fromEntries(
      [...start].filter(([, g]) => g.pinned).map(([id, g]) => [id, candidateKey(g.pinned!.candidate)]),
    ),
  };
}

/**
 * Makes the starting state fit the size budget: while it is predicted too large, the change to a
 * smaller candidate (of any group, float included, below `minSqnrDb` excluded) that adds the least
 * output noise per byte saved is made and pinned. Then the changes are undone, last first, where
 * the state still fits without them (a large late change can make an early small one unneeded).
 */
function fitToSize(
  groups: readonly GroupSignal[],
  state: Map<string, GroupState>,
  total: (state: Map<string, GroupState>) => number,
  maxBytes: number,
  minSqnrDb: number,
): void {
  const float: CandidateSignal = {
    candidate: { mode: 'float' },
    sqnrDb: Number.POSITIVE_INFINITY,
    saving: 0,
    bytes: 0,
  };
  const options = new Map(groups.map((g) => [g.id, [...g.candidates.filter((c) => c.sqnrDb >= minSqnrDb), float]]));
  const changes: Array<{ id: string; before: CandidateSignal | undefined }> = [];
  while (total(state) > maxBytes) {
    let best: { id: string; to: CandidateSignal; cost: number } | undefined;
    for (const [id, g] of state) {
      const now = current(g);
      for (const to of options.get(id) ?? []) {
        const saved = bytesOf(now) - bytesOf(to);
        if (saved <= 0) continue;
        const cost = (noiseOf(to.sqnrDb) - noiseOf(now.sqnrDb)) / saved;
        if (!best || cost < best.cost) best = { id, to, cost };
      }
    }
    if (!best) {
      throw new PlannerError(
        'PLANNER_SIZE_UNREACHABLE',
        `The smallest model the search can build is about ${formatBytes(total(state))} (${Math.ceil(total(state))} bytes; every group at its smallest candidate whose output SQNR alone is at least ${minSqnrDb} dB, 4-bit weights included), over the size budget of ${formatBytes(maxBytes)}. Raise \`maxSizeBytes\` to at least that; with \`resume\` the search keeps what it has measured.`,
        { argument: ['maxSizeBytes', 'resume'] },
      );
    }
    const g = state.get(best.id)!;
    changes.push({ id: best.id, before: g.pinned });
    g.pinned = best.to;
  }
  for (const { id, before } of changes.reverse()) {
    const g = state.get(id)!;
    const kept = g.pinned;
    g.pinned = before;
    if (total(state) > maxBytes || noiseOf(current(g).sqnrDb) > noiseOf(kept!.sqnrDb)) g.pinned = kept;
  }
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
