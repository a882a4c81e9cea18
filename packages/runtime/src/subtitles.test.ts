import { describe, expect, it } from 'vitest';
import { splitCues, toCtm, toSrt, toVtt } from './subtitles.js';
import type { TimedWord as Word } from './transcriber.js';

/** A strict SubRip / WebVTT cue parser (what players need): index (SRT), timing line, text lines, blank line. */
function parseCues(text: string, kind: 'srt' | 'vtt'): { start: number; end: number; lines: string[] }[] {
  const time = kind === 'srt' ? /^(\d{2}):(\d{2}):(\d{2}),(\d{3})$/ : /^(\d{2}):(\d{2}):(\d{2})\.(\d{3})$/;
  const seconds = (t: string): number => {
    const m = time.exec(t);
    if (!m) throw new Error(`bad timestamp ${JSON.stringify(t)}`);
    return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000;
  };
  let body = text;
  if (kind === 'vtt') {
    if (!body.startsWith('WEBVTT\n\n')) throw new Error('missing WEBVTT header');
    body = body.slice('WEBVTT\n\n'.length);
  }
  if (body === '') return [];
  if (!body.endsWith('\n') || body.endsWith('\n\n')) throw new Error('cues must end with exactly one newline');
  return body
    .slice(0, -1)
    .split('\n\n')
    .map((block, i) => {
      const lines = block.split('\n');
      if (kind === 'srt' && lines.shift() !== String(i + 1)) throw new Error(`cue ${i + 1} is misnumbered`);
      const timing = /^(\S+) --> (\S+)$/.exec(lines.shift() ?? '');
      if (!timing) throw new Error(`cue ${i + 1} has no timing line`);
      if (lines.length === 0 || lines.some((l) => l.trim() === '' || l.includes('-->')))
        throw new Error(`cue ${i + 1} has bad text lines`);
      return { start: seconds(timing[1]!), end: seconds(timing[2]!), lines };
    });
}

/** 40 words of 0.3 s with 0.1 s gaps, a 1.5 s pause after word 12 and long words near the end. */
function speech(): Word[] {
  const words: Word[] = [];
  let t = 0.25;
  for (let i = 0; i < 40; i++) {
    const word = i > 30 ? `EXTRAORDINARILY${i}` : ['THE', 'CAT', 'SAT', 'ON', 'A', 'MAT'][i % 6]!;
    words.push({ word, startSec: t, endSec: t + 0.3 });
    t += i === 12 ? 1.8 : 0.4;
  }
  return words;
}

describe('subtitles', () => {
  it('writes SRT and VTT that a strict parser reads back: every word once, in order, in readable cues', () => {
    const words = speech();
    const cues = splitCues(words);
    for (const [kind, text] of [
      ['srt', toSrt(cues)],
      ['vtt', toVtt(cues)],
    ] as const) {
      const parsed = parseCues(text, kind);
      expect(parsed.length).toBe(cues.length);
      expect(parsed.flatMap((c) => c.lines.join(' ').split(' '))).toEqual(words.map((w) => w.word));
      for (const [i, cue] of parsed.entries()) {
        expect(cue.end).toBeGreaterThan(cue.start);
        expect(cue.end - cue.start).toBeLessThanOrEqual(6.001);
        expect(cue.lines.length).toBeLessThanOrEqual(2);
        for (const line of cue.lines) expect(line.length).toBeLessThanOrEqual(42);
        if (i > 0) expect(cue.start).toBeGreaterThanOrEqual(parsed[i - 1]!.end);
      }
      // The 1.5 s pause after word 13 ends a cue.
      expect(parsed.some((c) => Math.abs(c.end - words[12]!.endSec) < 0.001)).toBe(true);
    }
    expect(toSrt([])).toBe('');
    expect(toVtt([])).toBe('WEBVTT\n\n');
    expect(toSrt([{ startSec: 3661.5, endSec: 3662.25, lines: ['HI'] }])).toBe(
      '1\n01:01:01,500 --> 01:01:02,250\nHI\n',
    );
  });

  it('writes CTM as NIST tools read it: file channel start duration word', () => {
    expect(
      toCtm('my file', [
        { word: 'HELLO', startSec: 0.5, endSec: 0.92 },
        { word: 'WORLD', startSec: 1, endSec: 1.4 },
      ]),
    ).toBe('my_file A 0.50 0.42 HELLO\nmy_file A 1.00 0.40 WORLD\n');
  });
});
