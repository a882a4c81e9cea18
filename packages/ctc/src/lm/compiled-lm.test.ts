import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AsrqError } from '@asrq/core';
import { compileLmFile, loadArpa } from './lm-node.js';
import { NgramLM } from './ngram-lm.js';
import { SMALL_ARPA as SMALL } from '../../test/helpers.js';
import { useTempDirs } from '@asrq/test-temp';

const { tempDirSync: tempDir } = useTempDirs();

const testLmPath = new URL('../../test/fixtures/lm-3gram-pruned.arpa.gz', import.meta.url).pathname;

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('compiled LM', () => {
  it('scores exactly as the ARPA file it was compiled from, and loadArpa detects it by its magic', async () => {
    const dir = tempDir('asrq-compiled-');
    const out = join(dir, 'lm.asrqlm');
    const { lm: arpa, bytes } = await compileLmFile(testLmPath, out);
    expect(readFileSync(out).length).toBe(bytes);
    const compiled = await loadArpa(out);
    expect(compiled.counts).toEqual(arpa.counts);
    expect(compiled.words).toEqual(arpa.words);
    const random = seeded(7);
    const vocab = arpa.words.length;
    let compared = 0;
    for (let s = 0; s < 300; s++) {
      // Sentences of frequent and random words, some out of vocabulary.
      const words = Array.from({ length: 1 + Math.floor(random() * 12) }, () =>
        random() < 0.05 ? 'NOT-A-WORD' : arpa.words[Math.floor(random() * vocab)]!,
      );
      expect(compiled.sentenceLog10Prob(words)).toBe(arpa.sentenceLog10Prob(words));
      let a = arpa.beginState();
      let c = compiled.beginState();
      for (const word of words) {
        const sa = arpa.score(a, word);
        const sc = compiled.score(c, word);
        expect(sc).toEqual(sa);
        a = sa.state;
        c = sc.state;
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('refuses corrupt, truncated and foreign files with LM_BAD_COMPILED', () => {
    const bytes = NgramLM.fromArpa(SMALL).compile();
    const flipped = bytes.slice();
    flipped[bytes.length - 5]! ^= 1;
    expect(() => NgramLM.fromCompiled(flipped, { name: 'x.asrqlm' })).toThrow(/x\.asrqlm: checksum mismatch/);
    expect(() => NgramLM.fromCompiled(bytes.subarray(0, bytes.length - 4))).toThrow(/truncated/);
    const version = bytes.slice();
    version[8] = 9;
    expect(() => NgramLM.fromCompiled(version)).toThrow(/format version 9/);
    expect(() => NgramLM.fromCompiled(new TextEncoder().encode(SMALL))).toThrow(
      expect.objectContaining({ code: 'LM_BAD_COMPILED' }),
    );
    // A misaligned copy still loads (it is copied once to align the views).
    const misaligned = new Uint8Array(bytes.length + 1);
    misaligned.set(bytes, 1);
    expect(NgramLM.fromCompiled(misaligned.subarray(1)).sentenceLog10Prob(['the', 'cat'])).toBe(
      NgramLM.fromArpa(SMALL).sentenceLog10Prob(['the', 'cat']),
    );
    expect(() => NgramLM.fromCompiled(flipped)).toThrow(AsrqError);
  });

  it('says what is wrong with a header without contradicting itself, and calls an empty .asrqlm empty', async () => {
    const bytes = NgramLM.fromArpa(SMALL).compile();
    const payload = bytes.slice();
    new DataView(payload.buffer).setUint32(8 + 4 * 5, 12, true);
    expect(() => NgramLM.fromCompiled(payload, { name: 'p.asrqlm' })).toThrow(
      /p\.asrqlm: the header is inconsistent: its payload field says 12 bytes, but its vocabulary and table sizes add up to \d+\./,
    );
    expect(() => NgramLM.fromCompiled(bytes.subarray(0, bytes.length - 4), { name: 't.asrqlm' })).toThrow(
      new RegExp(`the header says the file has ${bytes.length} bytes, but it has ${bytes.length - 4} \\(truncated\\)`),
    );
    const dir = tempDir('asrq-lm-empty-');
    writeFileSync(join(dir, 'empty.asrqlm'), '');
    await expect(loadArpa(join(dir, 'empty.asrqlm'))).rejects.toMatchObject({
      code: 'LM_BAD_COMPILED',
      message: expect.stringContaining('the file is empty (0 bytes), not a language model'),
    });
    writeFileSync(join(dir, 'empty.arpa'), '');
    await expect(loadArpa(join(dir, 'empty.arpa'))).rejects.toMatchObject({ code: 'LM_BAD_ARPA', message: /empty/ });
    writeFileSync(join(dir, 'text.asrqlm'), 'hello');
    await expect(loadArpa(join(dir, 'text.asrqlm'))).rejects.toThrow(/not a compiled asrq LM \(wrong magic bytes\)/);
  });
});
