// The error-code list of every package README, generated from the package's code table
// (src/errors.ts, collected in apps/cli/src/exit-codes.ts as the CLI's exit codes are), so a new
// code cannot be missing from it. Each README holds the list between two markers:
//
//   <!-- error-codes:start -->  ...generated...  <!-- error-codes:end -->
//
//   pnpm readme:errors            rewrite the lists
//   pnpm readme:errors --check    exit 1 and say which README is out of date (apps/cli/test/readme-errors.test.ts runs this check)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExitCode, errorCodeTables, type PackageErrorCodes } from '../apps/cli/src/exit-codes.js';

const root = fileURLToPath(new URL('../', import.meta.url));
export const START = '<!-- error-codes:start (generated from src/errors.ts by `pnpm readme:errors`; do not edit) -->';
export const END = '<!-- error-codes:end -->';

/** The README of a package of {@link errorCodeTables}. */
export function readmeOf(pkg: string): string {
  return join(root, pkg === 'asrq' ? 'apps/cli' : `packages/${pkg.replace('@asrq/', '')}`, 'README.md');
}

/** The generated list of one package: what it throws, then one row per code, sorted. */
export function renderErrorCodes(table: PackageErrorCodes): string {
  const rows = Object.entries(table.codes)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(
      ([code, info]) =>
        `| \`${code}\` | ${info.summary.replaceAll('|', '\\|')} | ${ExitCode[info.exit]} (${info.exit}) |`,
    );
  return [
    START,
    `Every error it throws on purpose is ${/^[AEIOU]/.test(table.errorClass.name) ? 'an' : 'a'} \`${table.errorClass.name}\` (an \`AsrqError\`: test with \`AsrqError.isInstance\`) whose \`code\` is one of these (${rows.length} codes); the message says what was wrong, where, and what to do. The CLI exits with the code's exit status.`,
    '',
    '| code | when | CLI exit |',
    '|---|---|---|',
    ...rows,
    END,
  ].join('\n');
}

/** Each README whose list is missing or differs from its table, with what to do. */
export function readmeErrorProblems(): string[] {
  const problems: string[] = [];
  for (const table of errorCodeTables) {
    const file = readmeOf(table.package);
    const text = readFileSync(file, 'utf8');
    const start = text.indexOf(START);
    const end = text.indexOf(END);
    if (start < 0 || end < start) problems.push(`${file}: no error-code markers (${START} ... ${END})`);
    else if (text.slice(start, end + END.length) !== renderErrorCodes(table))
      problems.push(`${file}: the error-code list differs from ${table.package}'s table; run pnpm readme:errors`);
  }
  return problems;
}

/** Rewrites the list between the markers of every README that has them. */
function write(): void {
  for (const table of errorCodeTables) {
    const file = readmeOf(table.package);
    const text = readFileSync(file, 'utf8');
    const start = text.indexOf(START);
    const end = text.indexOf(END);
    if (start < 0 || end < start) continue;
    writeFileSync(file, `${text.slice(0, start)}${renderErrorCodes(table)}${text.slice(end + END.length)}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!process.argv.includes('--check')) write();
  const problems = readmeErrorProblems();
  for (const line of problems) console.error(line);
  process.exitCode = problems.length > 0 ? 1 : 0;
}
