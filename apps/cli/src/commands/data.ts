import { resolve } from 'node:path';
import { downloadLibriSpeech, openCorpus, selectItems, type DownloadProgress } from '@asrq/audio';
import { defaultCorpusDir } from '@asrq/fixtures';
import type { Command } from 'commander';
import { addCommand, defineOptions } from '../options/spec.js';
import { assertWritableDir } from '../output-dirs.js';
import { integer, LIMITS } from '../options/parsers.js';
import { createProgressBar, note, print, type OutputMode, type ProgressBar } from '../output.js';
import { withAbort } from '../signals.js';

const downloadOptions = defineOptions({
  to: { flags: '--to <dir>', description: 'where to put LibriSpeech/<split>', required: true },
  mirror: {
    flags: '--mirror <url>',
    description: 'base URL serving <split>.tar.gz (default: ASRQ_LIBRISPEECH_MIRROR or the official site)',
  },
  md5: { flags: '--md5 <hex>', description: 'expected MD5 of the archive' },
  quiet: { flags: '--quiet', description: 'no progress output' },
});

const listOptions = defineOptions({
  n: { flags: '--n <count>', description: 'how many to list', parse: integer(1, LIMITS.utterances) },
  seed: { flags: '--seed <int>', description: 'random selection with this seed', parse: integer(0, LIMITS.seed) },
  lenient: { flags: '--lenient', description: 'skip broken entries with a warning instead of failing' },
  json: { flags: '--json', description: 'JSON lines on stdout' },
});

/** Registers `asrq data download` and `asrq data list`. */
export function registerData(program: Command): void {
  const data = program.command('data').description('Corpora: download LibriSpeech, list a corpus');
  registerDataDownload(data);
  registerDataList(data);
}

function registerDataDownload(data: Command): void {
  addCommand(
    data,
    {
      name: 'download',
      description:
        'Download and safely extract an official LibriSpeech split (dev-clean, test-clean, ...), resuming partial downloads',
      arguments: [
        {
          name: '<split>',
          description:
            'dev-clean, dev-other, test-clean, test-other, train-clean-100, train-clean-360 or train-other-500',
        },
      ],
      options: downloadOptions,
    },
    async (split, flags) => {
      const mode: OutputMode = { json: false, quiet: Boolean(flags.quiet) };
      await assertWritableDir(resolve(flags.to), '--to');
      const bar = createProgressBar(mode);
      const result = await withAbort(
        (signal) =>
          downloadLibriSpeech(split, {
            to: resolve(flags.to),
            ...(flags.mirror ? { baseUrl: flags.mirror } : {}),
            ...(flags.md5 ? { md5: flags.md5 } : {}),
            signal,
            onProgress: downloadProgress(bar, mode),
          }),
        () => note(mode, '\ninterrupted: the partial download is kept; run the same command again to resume.'),
      );
      bar.stop();
      print(`${split}: ${result.dir} (${(result.bytes / 1e6).toFixed(1)} MB${result.resumed ? ', resumed' : ''})`);
    },
  );
}

/**
 * Renders download progress: a bar in MB while the archive arrives (when the server gave its
 * size), then one line per later stage (extract reports every 100 entries).
 * @param bar - The progress bar.
 * @param mode - Output mode.
 * @returns The `onProgress` callback for `downloadLibriSpeech`.
 */
function downloadProgress(bar: ProgressBar, mode: OutputMode): (event: DownloadProgress) => void {
  let started = false;
  let lastStatus: DownloadProgress['status'] | undefined;
  return (event) => {
    if (event.status === 'download') {
      if (event.totalBytes === undefined) return;
      if (!started) {
        bar.start(Math.round(event.totalBytes / 1e6), 'download MB');
        started = true;
      }
      bar.update(Math.round(event.bytes / 1e6));
    } else if (event.status !== lastStatus) {
      bar.stop();
      note(mode, event.status);
    }
    lastStatus = event.status;
  };
}

function registerDataList(data: Command): void {
  addCommand(
    data,
    {
      name: 'list',
      description:
        'List the utterances of a corpus (LibriSpeech directory or JSONL manifest); default: the bundled corpus',
      arguments: [{ name: '[path]', description: 'corpus directory or manifest', default: defaultCorpusDir }],
      options: listOptions,
    },
    async (path, flags) => {
      const corpus = await openCorpus(resolve(path), { lenient: Boolean(flags.lenient), probeDurations: true });
      const items = selectItems(corpus.items, {
        ...(flags.n === undefined ? {} : { n: flags.n }),
        ...(flags.seed === undefined ? {} : { seed: flags.seed }),
      });
      for (const item of items) {
        if (flags.json) print(JSON.stringify(item));
        else
          print(
            `${item.id}\t${item.durationSec === undefined ? '' : `${item.durationSec.toFixed(2)}s`}\t${item.transcript}`,
          );
      }
      const total = items.reduce((s, i) => s + (i.durationSec ?? 0), 0);
      for (const w of corpus.warnings) note({ json: false, quiet: false }, `warning: ${w.message}`);
      note(
        { json: false, quiet: Boolean(flags.json) },
        `${items.length} of ${corpus.items.length} utterances, ${(total / 60).toFixed(1)} min (${corpus.kind} at ${corpus.root})`,
      );
    },
  );
}
