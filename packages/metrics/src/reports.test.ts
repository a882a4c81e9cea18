import { describe, expect, it } from 'vitest';
import { confusionPairs, formatAlignment, worstUtterances } from './alignment-report.js';
import { scoreSchemaVersion, scoreToJson } from './json.js';
import { formatMarkdownTable, scoreMarkdownTable } from './markdown.js';
import { scoreCorpus } from './score.js';

const score = scoreCorpus([
  { id: 'a-1', ref: 'the cat sat', hyp: 'a cat sat' },
  { id: 'a-2', ref: 'the dog ran far', hyp: 'a dog run' },
  { id: 'b-1', ref: 'ok', hyp: 'ok' },
]);

describe('alignment reports', () => {
  it('prints sclite pralign columns, with optional sclite case marking', () => {
    const u = score.utterances[1]!;
    expect(formatAlignment(u)).toBe(
      // sclite's tie-breaking puts the deletion before the substitution.
      'id: (a-2)\nScores: (#C #S #D #I) 1 2 1 0\nREF:  the dog ran far \nHYP:  a   dog *** run \nEval: S       D   S   \n',
    );
    expect(formatAlignment(u, { caseMarking: true })).toContain('REF:  THE dog RAN FAR \nHYP:  A   dog *** RUN \n');
  });

  it('counts confusion pairs and ranks the worst utterances', () => {
    expect(confusionPairs(score)).toEqual([
      { ref: 'the', hyp: 'a', count: 2 },
      { ref: 'far', hyp: 'run', count: 1 },
    ]);
    expect(confusionPairs(score, 1)).toHaveLength(1);
    expect(worstUtterances(score).map((u) => u.id)).toEqual(['a-2', 'a-1']);
  });

  it('refuses to print alignments that were not kept', () => {
    const bare = scoreCorpus([{ id: 'x', ref: 'a', hyp: 'b' }], { alignments: false });
    expect(() => confusionPairs(bare)).toThrow(expect.objectContaining({ code: 'METRICS_NO_ALIGNMENT' }));
    expect(() => formatAlignment(bare.utterances[0]!)).toThrow(/alignments: false/);
  });
});

describe('tables and JSON', () => {
  it('formats a padded Markdown table, numbers right-aligned, pipes escaped, non-finite as n/a', () => {
    expect(
      formatMarkdownTable(
        ['model', 'WER'],
        [
          ['fp|32', 6.07],
          ['int8', Number.NaN],
        ],
      ),
    ).toBe(
      '| model  | WER |\n| ------ | --: |\n| fp\\|32 | 6.07 |\n| int8   | n/a |\n'
        .replace('| WER |', '|  WER |')
        .replace('| --: |', '| ---: |')
        .replace('| n/a |', '|  n/a |'),
    );
    expect(() => formatMarkdownTable(['a', 'b'], [['x']])).toThrow(
      expect.objectContaining({ code: 'METRICS_BAD_TABLE' }),
    );
  });

  it('has a per-speaker Markdown summary with a total row', () => {
    const md = scoreMarkdownTable(score);
    expect(md.split('\n')[0]).toContain('WER %');
    expect(md).toContain('| **total** |');
    expect(md).toContain('| a         |    2 |          7 |    3 |   3 |   1 |   0 | 57.14 |');
  });

  it('writes a versioned JSON document that survives a round trip', () => {
    const json = scoreToJson(score) as Record<string, unknown>;
    expect(json).toMatchObject({
      schema: 'asrq.metrics.score',
      schemaVersion: scoreSchemaVersion,
      unit: 'word',
      sentences: 3,
      sentenceErrors: 2,
    });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    const u = (json.utterances as Array<Record<string, unknown>>)[0]!;
    expect(u.alignment).toEqual([
      ['S', 'the', 'a'],
      ['C', 'cat', 'cat'],
      ['C', 'sat', 'sat'],
    ]);
    expect((scoreToJson(score, { alignments: false }) as { utterances: object[] }).utterances[0]).not.toHaveProperty(
      'alignment',
    );
  });
});
