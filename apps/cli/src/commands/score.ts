import { readFile } from 'node:fs/promises';
import { formatAlignment, librispeechNormalizer, pairUtterances, parseTranscripts, scoreCorpus, sumReport, worstUtterances } from '@asrq/metrics';
import type { Command } from 'commander';
import { integer } from '../options.js';
import { note, print } from '../output.js';
import { CliError } from '../errors.js';

async function readTranscripts(path: string): Promise<Map<string, string>> {
  const text = await readFile(path, 'utf8').catch((cause: unknown) => {
    throw new CliError('CLI_FILE_NOT_FOUND', `Cannot read ${path}: ${(cause as Error).message}.`, { cause });
  });
  return parseTranscripts(text, { name: path });
}

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
      const pairs = pairUtterances(await readTranscripts(flags.ref), await readTranscripts(flags.hyp));
      const transforms = flags.normalize ? librispeechNormalizer : [];
      const words = scoreCorpus(pairs, { unit: 'word', transforms });
      const chars = scoreCorpus(pairs, { unit: 'char', transforms, alignments: false });
      const t = words.total;
      // Warnings go to stderr (also with --json, whose stdout stays one JSON object that lists them too).
      for (const w of words.warnings) note({ json: false, quiet: false }, `warning: ${w.message}`);
      if (flags.json) {
        print(
          JSON.stringify({
            wer: t.errorRate,
            cer: chars.total.errorRate,
            substitutions: t.substitutions,
            deletions: t.deletions,
            insertions: t.insertions,
            hits: t.hits,
            refWords: t.refCount,
            utterances: pairs.length,
            sentenceErrors: words.sentenceErrors,
            transforms: words.transforms,
            warnings: words.warnings,
          }),
        );
        return;
      }
      print(
        `WER ${t.errorRate.toFixed(2)} % (S ${t.substitutions}, D ${t.deletions}, I ${t.insertions}, hits ${t.hits}, ${t.refCount} reference words, ${pairs.length} utterances)\n` +
          `CER ${chars.total.errorRate.toFixed(2)} %`,
      );
      if (flags.sum) print(`\n${sumReport(words)}`);
      for (const u of worstUtterances(words, flags.alignments)) print(`\n${u.id}\n${formatAlignment(u)}`);
    });
}
