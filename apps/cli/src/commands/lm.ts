import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { buildArpaFile, loadArpa, perplexity } from '@asrq/ctc';
import type { Command } from 'commander';
import { addCommand } from '../options/spec.js';
import { assertWritableFileDir } from '../output-dirs.js';
import { integer } from '../options/parsers.js';
import { registerLmCompile } from './lm-compile.js';
import { registerLmTune } from './lm-tune.js';
import { note, print } from '../output.js';
import { CliError } from '../errors.js';

/** Registers `asrq lm build`, `ppl`, `compile` and `tune`. */
export function registerLm(program: Command): void {
  const lm = program
    .command('lm')
    .description(
      'Word n-gram language models (ARPA): build from text, measure perplexity, compile for fast loading, tune alpha/beta on a dev set',
    );
  registerLmCompile(lm);
  registerLmTune(lm);
  registerLmBuild(lm);
  registerLmPpl(lm);
}

function registerLmBuild(lm: Command): void {
  addCommand(
    lm,
    {
      name: 'build',
      description:
        'Build an ARPA LM with interpolated modified Kneser-Ney smoothing from a text file (one sentence per line)',
      options: {
        text: { flags: '--text <file>', description: 'training text, one sentence per line', required: true },
        output: {
          flags: '-o, --output <file>',
          description: 'ARPA file to write (written atomically)',
          required: true,
        },
        order: { flags: '--order <n>', description: 'n-gram order, 1 to 5', parse: integer(1, 5), default: 3 },
        pruneSingletons: { flags: '--prune-singletons', description: 'drop n-grams of order >= 2 seen once' },
        quiet: { flags: '--quiet', description: 'no progress output' },
      },
    },
    async (flags) => {
      if (resolve(flags.text) === resolve(flags.output))
        throw new CliError('CLI_USAGE', 'The output would overwrite the training text. Choose another -o path.');
      const existing = await stat(resolve(flags.output)).catch(() => undefined);
      if (existing?.isDirectory()) {
        throw new CliError(
          'CLI_USAGE',
          `-o ${flags.output} is a directory; give the ARPA file to write, e.g. -o ${join(flags.output, `${flags.order}gram.arpa`)}.`,
        );
      }
      await assertWritableFileDir(resolve(flags.output), '-o');
      const result = await buildArpaFile(resolve(flags.text), resolve(flags.output), {
        order: flags.order,
        pruneSingletons: Boolean(flags.pruneSingletons),
      });
      note({ json: false, quiet: Boolean(flags.quiet) }, `n-grams per order: ${result.counts.join(', ')}`);
      print(resolve(flags.output));
    },
  );
}

function registerLmPpl(lm: Command): void {
  addCommand(
    lm,
    {
      name: 'ppl',
      description:
        'Perplexity of a text under an ARPA LM (log10 over words and </s>, OOVs excluded, as SRILM and KenLM count)',
      options: {
        lm: {
          flags: '--lm <file>',
          description: 'ARPA file (.arpa or .arpa.gz) or compiled LM (asrq lm compile)',
          required: true,
        },
        text: { flags: '--text <file>', description: 'held-out text, one sentence per line', required: true },
        json: { flags: '--json', description: 'print one JSON object on stdout' },
      },
    },
    async (flags) => {
      const model = await loadArpa(resolve(flags.lm));
      const text = await readFile(resolve(flags.text), 'utf8').catch((cause: unknown) => {
        throw new CliError('CLI_FILE_NOT_FOUND', `Cannot read ${flags.text}: ${(cause as Error).message}.`, { cause });
      });
      const sentences = text.split(/\r?\n/).filter((line) => line.trim() !== '');
      const result = perplexity(model, sentences);
      // No scored word: any number printed would mean nothing (NaN, or the perplexity of </s> alone).
      const scored = result.words - result.oovs;
      const warning =
        result.sentences === 0
          ? `${flags.text} has no non-blank line: there is nothing to measure.`
          : scored === 0
            ? `every word of ${flags.text} is out of the LM's vocabulary (${result.oovs} OOVs): the perplexity would only score </s>, so none is given.`
            : undefined;
      if (warning) note({ json: false, quiet: false }, `warning: ${warning}`);
      if (flags.json) {
        print(
          JSON.stringify({
            perplexity: warning ? null : result.perplexity,
            log10Prob: result.log10Prob,
            words: result.words,
            sentences: result.sentences,
            oovs: result.oovs,
            ...(warning ? { warning } : {}),
          }),
        );
      } else if (warning)
        print(`perplexity n/a over ${result.sentences} sentences, ${result.words} words, ${result.oovs} OOVs`);
      else
        print(
          `perplexity ${result.perplexity.toFixed(2)} over ${result.sentences} sentences, ${result.words} words, ${result.oovs} OOVs (log10 prob ${result.log10Prob.toFixed(2)})`,
        );
    },
  );
}
