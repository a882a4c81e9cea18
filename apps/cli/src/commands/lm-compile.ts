import { resolve } from 'node:path';
import { compileLmFile } from '@asrq/ctc';
import type { Command } from 'commander';
import { note, print } from '../output.js';
import { CliError } from '../errors.js';

/**
 * Registers `asrq lm compile` under the `lm` command.
 * @param lm - The `asrq lm` command.
 */
export function registerLmCompile(lm: Command): void {
  lm.command('compile')
    .description('Compile an ARPA LM into asrq\'s binary format (typed-array tables in one file, loaded with one read and no parsing; transcribe, bench and lm ppl accept it wherever they accept ARPA)')
    .argument('<arpa>', 'ARPA file (.arpa or .arpa.gz)')
    .requiredOption('-o, --output <file>', 'compiled LM to write, e.g. lm.asrqlm (written atomically)')
    .option('--quiet', 'no summary on stderr')
    .action(async (arpa: string, flags: { output: string; quiet?: boolean }) => {
      if (resolve(arpa) === resolve(flags.output)) throw new CliError('CLI_USAGE', 'The output would overwrite the ARPA file. Choose another -o path.');
      const started = performance.now();
      const { lm: model, bytes } = await compileLmFile(resolve(arpa), resolve(flags.output));
      note({ json: false, quiet: Boolean(flags.quiet) }, `n-grams per order: ${model.counts.join(', ')}; ${(bytes / 2 ** 20).toFixed(1)} MB written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      print(resolve(flags.output));
    });
}
