import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseArpa } from './arpa-parse.js';
import { NgramLM } from './ngram-lm.js';

const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

describe('ARPA parser (byte level)', () => {
  it('stores every listed n-gram with exactly Math.fround(Number(field)) as its log10 probability', () => {
    const text = gunzipSync(
      readFileSync(new URL('../../test/fixtures/lm-3gram-pruned.arpa.gz', import.meta.url)),
    ).toString('utf8');
    const lm = NgramLM.fromArpa(text);
    let order = 0;
    let checked = 0;
    let mismatches = 0;
    for (const line of text.split('\n')) {
      const section = /^\\(\d)-grams:$/.exec(line);
      if (section) {
        order = Number(section[1]);
        continue;
      }
      if (order === 0 || line === '' || line.startsWith('\\')) continue;
      const fields = line.split(/[\t ]+/);
      const words = fields.slice(1, order + 1);
      let state = lm.nullState();
      for (const word of words.slice(0, -1)) state = lm.score(state, word).state;
      const scored = lm.score(state, words.at(-1)!);
      if (scored.log10Prob !== Math.fround(Number(fields[0]))) mismatches++;
      checked++;
    }
    expect(checked).toBe(lm.counts.reduce((a, b) => a + b, 0));
    expect(mismatches).toBe(0);
  });

  it('reads non-ASCII words and numbers with exponents', () => {
    const lm = NgramLM.fromArpa(
      '\\data\\\nngram 1=4\nngram 2=1\n\n\\1-grams:\n-1e0\t<s>\t-2.5E-1\n-0.5\t</s>\n-0.25\tÜBER\t0\n-3\t<unk>\n\n\\2-grams:\n-1.25e-1 <s>  ÜBER\n\n\\end\\\n',
    );
    expect(lm.score(lm.beginState(), 'ÜBER').log10Prob).toBe(-0.125);
    expect(lm.score(lm.nullState(), '<s>').log10Prob).toBe(-1);
    expect(lm.score(lm.beginState(), '</s>').log10Prob).toBe(Math.fround(-0.25) + -0.5);
  });

  it('reports the first bad line even though n-grams are stored in batches', () => {
    const head =
      '\\data\\\nngram 1=4\nngram 2=3\n\n\\1-grams:\n-1\t<s>\t-0.5\n-1\t</s>\n-1\tA\t0\n-1\tB\t0\n\n\\2-grams:\n';
    // Line 13 duplicates line 12; line 14 has a bad number: the duplicate is reported.
    expect(() => NgramLM.fromArpa(`${head}-0.5\tA B\n-0.5\tA B\n-x\tB A\n\n\\end\\\n`, { name: 'd.arpa' })).toThrow(
      /^d\.arpa:13: duplicate 2-gram "A B"/,
    );
    // The other way round: the bad number comes first and is reported.
    expect(() => NgramLM.fromArpa(`${head}-x\tA B\n-0.5\tB A\n-0.5\tB A\n\n\\end\\\n`, { name: 'd.arpa' })).toThrow(
      /^d\.arpa:12: bad number/,
    );
    // A duplicate just before the end of the file is still found.
    expect(() => NgramLM.fromArpa(`${head}-0.5\tA B\n-0.5\tB A\n-0.5\tB A\n\n\\end\\\n`, { name: 'd.arpa' })).toThrow(
      /^d\.arpa:14: duplicate/,
    );
  });

  it('gives exactly the tables of the string parser it replaced on a real ARPA, slot for slot (golden digests)', () => {
    const bytes = gunzipSync(readFileSync(new URL('../../test/fixtures/lm-3gram-pruned.arpa.gz', import.meta.url)));
    const now = parseArpa(bytes, 'lm.arpa');
    // Digests of the string parser's tables (bench/legacy-arpa-parse.ts, removed after commit 99b9004):
    // every slot's prefix, and for a used slot its word and the bits of its probability and backoff.
    const golden = JSON.parse(
      readFileSync(new URL('../../test/fixtures/golden/arpa-tables.json', import.meta.url), 'utf8'),
    ) as {
      counts: number[];
      words: string;
      vocab: string;
      unigramProb: string;
      unigramBackoff: string;
      tables: { capacity: number; slots: string }[];
    };
    const bits = (x: number): number => new Uint32Array(Float32Array.of(x).buffer)[0]!;
    const bytesOf = (a: Float32Array | Uint32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    expect(now.counts).toEqual(golden.counts);
    expect(sha256(now.words.join('\n'))).toBe(golden.words);
    expect(sha256(JSON.stringify([...now.vocab]))).toBe(golden.vocab);
    expect(sha256(bytesOf(now.unigramProb))).toBe(golden.unigramProb);
    expect(sha256(bytesOf(now.unigramBackoff))).toBe(golden.unigramBackoff);
    expect(now.tables.map((t) => t.capacity)).toEqual(golden.tables.map((t) => t.capacity));
    now.tables.forEach((table, k) => {
      const slots: number[] = [];
      for (let slot = 0; slot < table.capacity; slot++) {
        slots.push(table.prefixOf(slot));
        if (table.prefixOf(slot) !== 0xffffffff)
          slots.push(table.wordOf(slot), bits(table.probOf(slot)), bits(table.backoffOf(slot)));
      }
      expect(sha256(bytesOf(Uint32Array.from(slots))), `table of order ${k + 2}`).toBe(golden.tables[k]!.slots);
    });
  });

  it('refuses a header announcing 2- and 3-grams when the file has only the unigram section', () => {
    const text = '\\data\\\nngram 1=3\nngram 2=2\nngram 3=1\n\n\\1-grams:\n-1 <s>\n-1 </s>\n-1 a\n\n\\end\\\n';
    expect(() => NgramLM.fromArpa(text, { name: 'lm.arpa' })).toThrow(
      expect.objectContaining({
        code: 'LM_BAD_ARPA',
        message: expect.stringContaining(
          'lm.arpa:11: the \\data\\ header announces ngram 2=2, ngram 3=1 but the file has no \\2-grams: or \\3-grams: section',
        ),
      }),
    );
    // An order announced with no n-grams needs no section.
    const empty = '\\data\\\nngram 1=2\nngram 2=0\n\n\\1-grams:\n-1 <s>\n-1 </s>\n\n\\end\\\n';
    expect(NgramLM.fromArpa(empty).vocabSize).toBe(2);
  });
});
