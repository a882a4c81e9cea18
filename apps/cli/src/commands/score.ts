import { formatAlignment, formatTranscriptScore, sumReport, transcriptScoreToJson, worstUtterances } from '@asrq/metrics';
import { scoreTranscriptFiles } from '@asrq/metrics/node';
import type { Command } from 'commander';
import { integer } from '../options.js';
import { note, print } from '../output.js';

/** Registers `asrq score`. */
export function registerScore(program: Command): void {
  program
    .command('score')
    .description('Score hypotheses against references: WER and CER with S/D/I, sclite conventions (trn "TEXT (utt-id)" or "utt-id TEXT" lines)')
    .requiredOption('--ref <file>', 'reference transcripts')
    .requiredOption('--hyp <file>', 'hypothesis transcripts')
    .option('--normalize', 'apply the LibriSpeech normaliser (upper case, strip punctuation but apostrophes, collapse spaces) to both sides')
    .option('--alignments <count>', 'print the alignments of the N worst utterances', integer(0), 0)
    .option('--sum', 'print an sclite-style per-speaker summary')
    .option('--json', 'print one JSON object on stdout')
    .action(async (flags: { ref: string; hyp: string; normalize?: boolean; alignments: number; sum?: boolean; json?: boolean }) => {
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
    });
}
