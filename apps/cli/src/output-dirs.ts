import { dirname } from 'node:path';
import { errorCode } from '@asrq/core';
import { checkWritableDir } from '@asrq/core/node';
import { CliError } from './errors.js';

/**
 * Checks before the work starts that the folder a flag names can be written (created when
 * missing): a read-only, full or blocked `--out` used to fail only after the whole run.
 * @param dir - The folder (absolute).
 * @param flag - The flag that named it, e.g. `--out`.
 * @throws CliError `CLI_OUTPUT_UNWRITABLE` naming the flag, the folder and what to do.
 */
export function assertWritableDir(dir: string, flag: string): Promise<void> {
  return checkWritableDir(dir, { what: flag, code: errorCode(CliError, 'CLI_OUTPUT_UNWRITABLE') });
}

/**
 * {@link assertWritableDir} for the folder of an output file.
 * @param file - The output file (absolute).
 * @param flag - The flag that named it, e.g. `-o`.
 * @throws CliError `CLI_OUTPUT_UNWRITABLE`.
 */
export function assertWritableFileDir(file: string, flag: string): Promise<void> {
  return checkWritableDir(dirname(file), {
    what: `${flag} ${file}: its folder`,
    code: errorCode(CliError, 'CLI_OUTPUT_UNWRITABLE'),
  });
}
