import {
  formatAlignment,
  formatTranscriptScore,
  sumReport,
  transcriptScoreToJson,
  worstUtterances,
} from '@asrq/metrics';
import { scoreTranscriptFiles } from '@asrq/metrics/node';
import type { Command } from 'commander';
import { addCommand, defineOptions } from '../options/spec.js';
import { integer, LIMITS } from '../options/parsers.js';
import { note, print } from '../output.js';

const scoreOptions = defineOptions({
  ref: { flags: '--ref <file>', description: 'reference transcripts', required: true },
  hyp: { flags: '--hyp <file>', description: 'hypothesis transcripts', required: true },
  normalize: {
    flags: '--normalize',
    description:
      'apply the LibriSpeech normaliser (upper case, strip punctuation but apostrophes, collapse spaces) to both sides',
  },
  alignments: {
    flags: '--alignments <count>',
    description: 'print the alignments of the N worst utterances',
    parse: integer(0, LIMITS.utterances),
    default: 0,
  },
  sum: { flags: '--sum', description: 'print an sclite-style per-speaker summary' },
  json: { flags: '--json', description: 'print one JSON object on stdout' },
});

/** Registers `asrq score`. */
export function registerScore(program: Command): void {
  addCommand(
    program,
    {
      name: 'score',
      description:
        'Score hypotheses against references: WER and CER with S/D/I, sclite conventions (trn "TEXT (utt-id)" or "utt-id TEXT" lines)',
      options: scoreOptions,
    },
    async (flags) => {
      const score = await scoreTranscriptFiles(flags.ref, flags.hyp, { normalize: Boolean(flags.normalize) });
      // Warnings go to stderr (also with --json, whose stdout stays one JSON object that lists them too).
      for (const w of score.words.warnings) note({ json: false, quiet: false }, `warning: ${w.message}`);
      if (flags.json) {
        print(JSON.stringify(transcriptScoreToJson(score)));
        return;
      }
      print(formatTranscriptScore(score));
      if (flags.sum) print(`\n${sumReport(score.words)}`);
      for (const u of worstUtterances(score.words, flags.alignments)) print(`\n${u.id}\n${formatAlignment(u)}`);
    },
  );
}
