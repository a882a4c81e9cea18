/**
 * Generates the parts of the site that come from the repository itself, before `vitepress build`:
 * the API reference (TypeDoc), the CLI reference (the commander program), the results page
 * (bench report JSON) and the tutorial's sample outputs (real runs of its commands). Run with `tsx --conditions=@asrq/source` so workspace packages resolve to
 * their TypeScript sources and no package build is needed.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateApi } from './api.js';
import { loadCli, renderCliReference } from './cli-reference.js';
import { docsRoot, repoRoot } from './paths.js';
import { readCompatMatrix, renderCompatibility } from './compatibility.js';
import { readReports, renderResults } from './results.js';
import { generateTutorialOutputs, tutorialCommands } from './tutorial-outputs.js';

const started = performance.now();
const { program, exitCodes } = await loadCli(join(repoRoot, 'apps', 'cli'));
// reference/ holds only generated files, so a fresh clone does not have it.
await mkdir(join(docsRoot, 'reference'), { recursive: true });
await writeFile(join(docsRoot, 'reference', 'cli.md'), renderCliReference(program, exitCodes));
const reports = await readReports(join(docsRoot, 'data'));
// results/index.md, not results.md beside a results/ folder: a plain static server answers /results/
// with the page instead of a directory listing.
await writeFile(join(docsRoot, 'results', 'index.md'), renderResults(reports));
const matrix = await readCompatMatrix(join(docsRoot, 'data', 'compatibility', 'matrix.json'));
await writeFile(join(docsRoot, 'reference', 'compatibility.md'), renderCompatibility(matrix));
const tutorial = await generateTutorialOutputs();
const entries = await generateApi();
process.stdout.write(
  `docs: generated CLI reference (${program.commands.length} commands), results (${reports.length} report(s)), compatibility (${matrix.rows.length} exports), tutorial outputs (${tutorialCommands.length} commands${tutorial.cached ? ', unchanged inputs: from the cache' : ', run now'}), API (${entries.length} entry points) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
);
