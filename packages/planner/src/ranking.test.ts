import { describe, expect, it } from 'vitest';
import { ladder, paretoFront, rankBackoff, type GroupSignal } from './ranking.js';

const dyn = { mode: 'dynamic', perChannel: true } as const;
const dynPt = { mode: 'dynamic', perChannel: false } as const;
const stat = { mode: 'static', calibrator: 'minmax' } as const;

describe('paretoFront', () => {
  it('keeps only non-dominated points, sorted by RTF', () => {
    const pts = [
      { id: 'a', rtfEncoder: 0.3, wer: 10 },
      { id: 'b', rtfEncoder: 0.2, wer: 11 },
      { id: 'c', rtfEncoder: 0.25, wer: 12 }, // dominated by b
      { id: 'd', rtfEncoder: 0.1, wer: 15 },
      { id: 'e', rtfEncoder: 0.3, wer: 10.5 }, // dominated by a
    ];
    expect(paretoFront(pts).map((p) => p.id)).toEqual(['d', 'b', 'a']);
  });
  it('no point of the front is dominated by any point (property over random sets)', () => {
    for (let seed = 1; seed < 50; seed++) {
      let s = seed;
      const rnd = (): number => (s = (s * 16807) % 2147483647) / 2147483647;
      const pts = Array.from({ length: 20 }, () => ({ rtfEncoder: rnd(), wer: rnd() }));
      const front = paretoFront(pts);
      for (const f of front)
        expect(
          pts.some(
            (p) => p.rtfEncoder <= f.rtfEncoder && p.wer <= f.wer && (p.rtfEncoder < f.rtfEncoder || p.wer < f.wer),
          ),
        ).toBe(false);
      for (const p of pts)
        if (!front.includes(p)) expect(front.some((f) => f.rtfEncoder <= p.rtfEncoder && f.wer <= p.wer)).toBe(true);
    }
  });
});

describe('ladder', () => {
  it('orders by saving, drops candidates no more accurate than a faster one, ends with float', () => {
    const g: GroupSignal = {
      id: 'g',
      timeShare: 0.3,
      candidates: [
        { candidate: stat, sqnrDb: 25, saving: 0.15 },
        { candidate: dyn, sqnrDb: 30, saving: 0.1 },
        { candidate: dynPt, sqnrDb: 28, saving: 0.1 }, // same saving, less accurate than dyn
        { candidate: { mode: 'static', calibrator: 'entropy' }, sqnrDb: 5, saving: 0.2 }, // pruned: < 10 dB
      ],
    };
    expect(
      ladder(g, { minSqnrDb: 10, minSaving: 0.001 }).map((c) =>
        c.candidate.mode === 'dynamic' ? `dyn-${c.candidate.perChannel}` : c.candidate.mode,
      ),
    ).toEqual(['static', 'dyn-true', 'float']);
  });
  it('prunes candidates that do not save time', () => {
    const g: GroupSignal = { id: 'g', timeShare: 0.01, candidates: [{ candidate: dyn, sqnrDb: 40, saving: -0.01 }] };
    expect(ladder(g, { minSqnrDb: 10, minSaving: 0.001 }).map((c) => c.candidate.mode)).toEqual(['float']);
  });
});

describe('rankBackoff', () => {
  const groups: GroupSignal[] = [
    { id: 'big-robust', timeShare: 0.5, candidates: [{ candidate: dyn, sqnrDb: 40, saving: 0.3 }] },
    { id: 'small-fragile', timeShare: 0.05, candidates: [{ candidate: dyn, sqnrDb: 8, saving: 0.02 }] },
    {
      id: 'mid',
      timeShare: 0.2,
      candidates: [
        { candidate: stat, sqnrDb: 25, saving: 0.12 },
        { candidate: dyn, sqnrDb: 35, saving: 0.1 },
      ],
    },
  ];
  const r = rankBackoff(groups, { minSqnrDb: 0, minSaving: 0.001 });
  it('backs off the most noise per time saved first and ends all float', () => {
    expect(r.moves.map((m) => `${m.group}:${m.from}->${m.to}`)).toEqual([
      'small-fragile:dynamic-pc->float',
      'mid:static-minmax->dynamic-pc',
      'mid:dynamic-pc->float',
      'big-robust:dynamic-pc->float',
    ]);
    expect(Object.keys(r.assignmentAt(0)).sort()).toEqual(['big-robust', 'mid', 'small-fragile']);
    expect(r.assignmentAt(r.moves.length)).toEqual({});
  });
  it('each move lowers the saving and raises the predicted SQNR', () => {
    for (let k = 1; k <= r.moves.length; k++) {
      expect(r.savingAt(k)).toBeLessThan(r.savingAt(k - 1));
      expect(r.predictedSqnrAt(k)).toBeGreaterThan(r.predictedSqnrAt(k - 1));
    }
  });
});

describe('rankBackoff with a size budget', () => {
  const int4 = { mode: 'dynamic', perChannel: true, weights: 'int4', blockSize: 32 } as const;
  // Float model 1000 bytes: two weight groups of 400 bytes each (int8 saves 300, int4 350) and a
  // group without weights (its candidates change no bytes).
  const groups: GroupSignal[] = [
    {
      id: 'robust',
      timeShare: 0.4,
      candidates: [
        { candidate: dyn, sqnrDb: 40, saving: 0.3, bytes: -300 },
        { candidate: int4, sqnrDb: 30, saving: 0.2, bytes: -350 },
      ],
    },
    {
      id: 'fragile',
      timeShare: 0.4,
      candidates: [
        { candidate: dyn, sqnrDb: 35, saving: 0.3, bytes: -300 },
        { candidate: int4, sqnrDb: 15, saving: 0.2, bytes: -350 },
      ],
    },
    { id: 'attn', timeShare: 0.1, candidates: [{ candidate: stat, sqnrDb: 30, saving: 0.05, bytes: 0 }] },
  ];
  const options = { minSqnrDb: 10, minSaving: 0.001 };

  it('without a budget, 4-bit weights (slower and less accurate than int8) are on no ladder', () => {
    const r = rankBackoff(groups, options);
    expect(r.endsFloat).toBe(true);
    expect(Object.values(r.assignmentAt(0)).every((c) => !('weights' in c))).toBe(true);
    expect(r.bytesAt(0)).toBeUndefined();
  });

  it('moves the group that loses the least SQNR per byte to 4-bit weights, and keeps every plan within the budget', () => {
    // int8 everywhere: 1000 - 600 = 400 bytes; a budget of 360 needs one group in 4 bits (350).
    const r = rankBackoff(groups, { ...options, size: { floatBytes: 1000, maxBytes: 360 } });
    expect(r.pinned).toEqual({ robust: 'dynamic-int4-b32' });
    expect(r.assignmentAt(0).robust).toEqual(int4);
    expect(r.assignmentAt(0).fragile).toEqual(dyn);
    for (let k = 0; k <= r.moves.length; k++) expect(r.bytesAt(k)!).toBeLessThanOrEqual(360);
    // Backing off `fragile` to float would add 300 bytes: only the attention group can go.
    expect(r.moves.map((m) => m.group)).toEqual(['attn']);
    expect(r.endsFloat).toBe(false);
    expect(r.assignmentAt(r.moves.length).robust).toEqual(int4);
  });

  it('a budget the int8 plan meets changes nothing', () => {
    const r = rankBackoff(groups, { ...options, size: { floatBytes: 1000, maxBytes: 1000 } });
    expect(r.pinned).toEqual({});
    expect(r.endsFloat).toBe(true);
    for (let k = 0; k <= r.moves.length; k++) expect(r.bytesAt(k)!).toBeLessThanOrEqual(1000);
  });

  it('refuses a budget not even the smallest candidates meet, saying how small the model can get', () => {
    const refused = (() => {
      try {
        rankBackoff(groups, { ...options, size: { floatBytes: 1000, maxBytes: 250 } });
      } catch (e) {
        return e as { code: string; message: string; argumentNames: string[] };
      }
      throw new Error('a 250-byte budget was accepted');
    })();
    expect(refused.code).toBe('PLANNER_SIZE_UNREACHABLE');
    expect(refused.message).toMatch(/smallest model the search can build is about 300 B/);
    expect(refused.argumentNames).toContain('maxSizeBytes');
    // A 4-bit candidate under the SQNR floor is not used to fit: both in 4 bits would be 300 bytes.
    expect(() => rankBackoff(groups, { ...options, minSqnrDb: 20, size: { floatBytes: 1000, maxBytes: 310 } })).toThrow(
      /smallest model/,
    );
    expect(rankBackoff(groups, { ...options, size: { floatBytes: 1000, maxBytes: 310 } }).pinned).toEqual({
      robust: 'dynamic-int4-b32',
      fragile: 'dynamic-int4-b32',
    });
  });

  it('drops a candidate that adds bytes (static Q/DQ on a group without weights) before it shrinks any weights', () => {
    const r = rankBackoff(
      groups.map((g) => (g.id === 'attn' ? { ...g, candidates: [{ ...g.candidates[0]!, bytes: 20 }] } : g)),
      {
        ...options,
        // int8 everywhere: 1000 - 600 + 20 = 420 bytes.
        size: { floatBytes: 1000, maxBytes: 400 },
      },
    );
    expect(r.pinned).toEqual({ attn: 'float' });
    expect(r.assignmentAt(0).robust).toEqual(dyn);
  });

  it('undoes a change that a later, larger one made unneeded', () => {
    const x: GroupSignal = {
      id: 'x',
      timeShare: 0.4,
      candidates: [
        { candidate: dyn, sqnrDb: 40, saving: 0.3, bytes: -300 },
        { candidate: int4, sqnrDb: 38, saving: 0.2, bytes: -310 },
      ],
    };
    const y: GroupSignal = {
      id: 'y',
      timeShare: 0.4,
      candidates: [
        { candidate: dyn, sqnrDb: 40, saving: 0.3, bytes: -300 },
        { candidate: int4, sqnrDb: 30, saving: 0.2, bytes: -400 },
      ],
    };
    // int8: 400 bytes. x in 4 bits is the cheapest per byte (390, not enough), then y (290);
    // without x's change it is 300, within 305: x goes back to int8.
    const r = rankBackoff([x, y], { ...options, size: { floatBytes: 1000, maxBytes: 305 } });
    expect(r.pinned).toEqual({ y: 'dynamic-int4-b32' });
    expect(r.bytesAt(0)).toBe(300);
  });
});
