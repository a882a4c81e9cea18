import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { compileLmFile } from '@asrq/ctc';
import { formatBytes } from '@asrq/onnx';
import type { Command } from 'commander';
import { addCommand } from '../options/spec.js';
import { assertWritableFileDir } from '../output-dirs.js';
import { note, print } from '../output.js';
import { CliError } from '../errors.js';

/**
 * Registers `asrq lm compile` under the `lm` command.
 * @param lm - The `asrq lm` command.
 */
export function registerLmCompile(lm: Command): void {
  addCommand(
    lm,
    {
      name: 'compile',
      description:
        "Compile an ARPA LM into asrq's binary format (typed-array tables in one file, loaded with one read and no parsing; transcribe, bench and lm ppl accept it wherever they accept ARPA)",
      arguments: [{ name: '<arpa>', description: 'ARPA file (.arpa or .arpa.gz)' }],
      options: {
        output: {
          flags: '-o, --output <file>',
          description: 'compiled LM to write, e.g. lm.asrqlm (written atomically)',
          required: true,
        },
        quiet: { flags: '--quiet', description: 'no summary on stderr' },
      },
    },
    async (arpa, flags) => {
      if (resolve(arpa) === resolve(flags.output))
        throw new CliError('CLI_USAGE', 'The output would overwrite the ARPA file. Choose another -o path.');
      const existing = await stat(resolve(flags.output)).catch(() => undefined);
      if (existing?.isDirectory())
        throw new CliError(
          'CLI_USAGE',
          `-o ${flags.output} is a directory; give the compiled LM to write, e.g. -o ${join(flags.output, `${basename(arpa).replace(/\.arpa(\.gz)?$/, '')}.asrqlm`)}.`,
        );
      await assertWritableFileDir(resolve(flags.output), '-o');
      const started = performance.now();
      const { lm: model, bytes } = await compileLmFile(resolve(arpa), resolve(flags.output));
      note(
        { json: false, quiet: Boolean(flags.quiet) },
        `n-grams per order: ${model.counts.join(', ')}; ${formatBytes(bytes)} written in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      print(resolve(flags.output));
    },
  );
}
