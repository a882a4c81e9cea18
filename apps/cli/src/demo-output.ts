import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { journalPath, readJournal } from '@asrq/bench';
import { defaultModelPath } from '@asrq/fixtures';
import { CliError } from './errors.js';

/** Whether a file name is one `asrq demo` writes into its `--out` folder (the int8 model, the bench journal and reports). */
function isDemoFile(name: string, int8: string): boolean {
  const model = basename(int8);
  return (
    name === model ||
    name === `${model}.data` ||
    name === 'results.jsonl' ||
    /^report\.[a-z]+$/.test(name) ||
    name === 'ref.trn' ||
    /^hyp-.*\.trn$/.test(name)
  );
}

/** Whether `outDir` holds an earlier demo's run: its journal compares the bundled model with `int8`. */
async function holdsEarlierDemo(outDir: string, int8: string): Promise<boolean> {
  const journal = await readJournal(journalPath(outDir)).catch(() => undefined);
  const models = journal?.header?.config.models;
  return models !== undefined && models.length === 2 && models[0] === defaultModelPath && models[1] === int8;
}

/**
 * Refuses to start `asrq demo` when its `--out` folder holds files the demo would overwrite that
 * an earlier demo did not write (the rule `bench --out` follows: `--force` overwrites). An
 * earlier demo's folder is replaced, so running the demo twice works.
 * @param outDir - The `--out` folder.
 * @param int8 - Where the demo writes the int8 model.
 * @param force - `--force` was given.
 * @throws CliError `CLI_OUTPUT_EXISTS` naming the files and both ways out.
 */
export async function assertDemoOutputFree(outDir: string, int8: string, force: boolean): Promise<void> {
  if (force) return;
  const names = await readdir(outDir).catch(() => [] as string[]);
  const clashes = names.filter((name) => isDemoFile(name, int8)).sort();
  if (clashes.length === 0 || (await holdsEarlierDemo(outDir, int8))) return;
  throw new CliError(
    'CLI_OUTPUT_EXISTS',
    `--out ${outDir} already holds ${clashes.map((name) => join(outDir, name)).join(', ')}, which the demo would overwrite. ` +
      'Pass --force to overwrite them, or choose another --out.',
    { location: outDir },
  );
}
