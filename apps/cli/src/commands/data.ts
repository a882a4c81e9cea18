import { resolve } from 'node:path';
import { downloadLibriSpeech, openCorpus, selectItems, type DownloadProgress } from '@asrq/audio';
import { defaultCorpusDir } from '@asrq/fixtures';
import type { Command } from 'commander';
import { integer } from '../options.js';
import { createProgressBar, note, print } from '../output.js';
import { withAbort } from '../signals.js';

/** Registers `asrq data download` and `asrq data list`. */
export function registerData(program: Command): void {
  const data = program.command('data').description('Corpora: download LibriSpeech, list a corpus');
  data
    .command('download')
    .description('Download and safely extract an official LibriSpeech split (dev-clean, test-clean, ...), resuming partial downloads')
    .argument('<split>', 'dev-clean, dev-other, test-clean, test-other, train-clean-100, train-clean-360 or train-other-500')
    .requiredOption('--to <dir>', 'where to put LibriSpeech/<split>')
    .option('--mirror <url>', 'base URL serving <split>.tar.gz (default: ASRQ_LIBRISPEECH_MIRROR or the official site)')
    .option('--md5 <hex>', 'expected MD5 of the archive')
    .option('--quiet', 'no progress output')
    .action(async (split: string, flags: { to: string; mirror?: string; md5?: string; quiet?: boolean }) => {
      const mode = { json: false, quiet: Boolean(flags.quiet) };
      const bar = createProgressBar(mode);
      let started = false;
      let lastStatus: DownloadProgress['status'] | undefined;
      const result = await withAbort(
        (signal) =>
          downloadLibriSpeech(split, {
            to: resolve(flags.to),
            ...(flags.mirror ? { baseUrl: flags.mirror } : {}),
            ...(flags.md5 ? { md5: flags.md5 } : {}),
            signal,
            onProgress: (event: DownloadProgress) => {
              if (event.status === 'download') {
                if (event.totalBytes === undefined) return;
                if (!started) {
                  bar.start(Math.round(event.totalBytes / 1e6), 'download MB');
                  started = true;
                }
                bar.update(Math.round(event.bytes / 1e6));
              } else if (event.status !== lastStatus) {
                // One line per stage: extract reports every 100 entries.
                bar.stop();
                note(mode, event.status);
              }
              lastStatus = event.status;
            },
          }),
        () => note(mode, '\ninterrupted: the partial download is kept; run the same command again to resume.'),
      );
      bar.stop();
      print(`${split}: ${result.dir} (${(result.bytes / 1e6).toFixed(1)} MB${result.resumed ? ', resumed' : ''})`);
    });
  data
    .command('list')
    .description('List the utterances of a corpus (LibriSpeech directory or JSONL manifest); default: the bundled corpus')
    .argument('[path]', 'corpus directory or manifest', defaultCorpusDir)
    .option('--n <count>', 'how many to list', integer(1))
    .option('--seed <int>', 'random selection with this seed', integer(0))
    .option('--lenient', 'skip broken entries with a warning instead of failing')
    .option('--json', 'JSON lines on stdout')
    .action(async (path: string, flags: { n?: number; seed?: number; lenient?: boolean; json?: boolean }) => {
      const corpus = await openCorpus(resolve(path), { lenient: Boolean(flags.lenient), probeDurations: true });
      const items = selectItems(corpus.items, { ...(flags.n === undefined ? {} : { n: flags.n }), ...(flags.seed === undefined ? {} : { seed: flags.seed }) });
      for (const item of items) {
        if (flags.json) print(JSON.stringify(item));
        else print(`${item.id}\t${item.durationSec === undefined ? '' : `${item.durationSec.toFixed(2)}s`}\t${item.transcript}`);
      }
      const total = items.reduce((s, i) => s + (i.durationSec ?? 0), 0);
      for (const w of corpus.warnings) note({ json: false, quiet: false }, `warning: ${w.message}`);
      note({ json: false, quiet: Boolean(flags.json) }, `${items.length} of ${corpus.items.length} utterances, ${(total / 60).toFixed(1)} min (${corpus.kind} at ${corpus.root})`);
    });
}
