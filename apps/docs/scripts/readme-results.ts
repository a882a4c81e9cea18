/**
 * Writes the results table of the repository README from the same bench report the docs' results
 * page shows (apps/docs/data), between the README's results-table markers.
 *
 *   pnpm readme:results            rewrite it
 *   pnpm readme:results --check    exit 1 when the README differs (apps/docs/test/generators.test.ts checks the same)
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot, docsRoot } from './paths.js';
import { README_END, README_REPORT, README_START, readReports, readmeResults } from './results.js';

/** The README with its results block as the report says; undefined when the README has no markers. */
export async function expectedReadme(): Promise<{ current: string; expected: string | undefined }> {
  const current = await readFile(join(repoRoot, 'README.md'), 'utf8');
  const named = (await readReports(join(docsRoot, 'data'))).find((r) => r.file === README_REPORT);
  if (!named) throw new Error(`readme-results: apps/docs/data/${README_REPORT} is missing.`);
  const start = current.indexOf(README_START);
  const end = current.indexOf(README_END);
  if (start < 0 || end < start) return { current, expected: undefined };
  return { current, expected: current.slice(0, start) + readmeResults(named) + current.slice(end + README_END.length) };
}

if (process.argv[1]?.endsWith('readme-results.ts')) {
  const { current, expected } = await expectedReadme();
  if (expected === undefined) {
    console.error(`README.md has no results-table markers (${README_START} ... ${README_END}).`);
    process.exitCode = 1;
  } else if (process.argv.includes('--check')) {
    if (expected !== current) {
      console.error('README.md: the results table differs from the report; run pnpm readme:results');
      process.exitCode = 1;
    }
  } else await writeFile(join(repoRoot, 'README.md'), expected);
}
