/**
 * The sample outputs of the tutorial (`tutorial/index.md`), from real runs of the CLI at docs
 * build time, so they cannot go stale: each command of the tutorial runs as the page gives it,
 * in a scratch folder laid out like the tutorial's (`node_modules/@asrq/fixtures` with the
 * bundled model and corpus), and its stdout goes to `tutorial/generated/<name>.txt`, which the
 * page includes (`<<< @/tutorial/generated/<name>.txt`). The CLI runs from its TypeScript
 * sources, so no build is needed. The outputs are kept under `.vitepress/cache`, keyed by a hash
 * of every source file, the bundled model and corpus and the commands: a rebuild with nothing
 * changed reuses them.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { docsRoot, repoRoot } from './paths.js';

const run = promisify(execFile);

const MODEL = 'node_modules/@asrq/fixtures/model/model.onnx';
const CORPUS = 'node_modules/@asrq/fixtures/corpus/dev-mini';

/** One tutorial command: the file its output goes to and its arguments after `asrq`, as the page gives them. */
export interface TutorialCommand {
  name: string;
  args: string[];
}

/** The tutorial's commands, in page order (later ones use what earlier ones wrote). */
export const tutorialCommands: readonly TutorialCommand[] = [
  { name: 'inspect', args: ['inspect', '--depth', '5'] },
  {
    name: 'quantize',
    args: [
      'quantize',
      '-o',
      'model.int8.onnx',
      '--dynamic',
      'encoder.wav2vec2.model.encoder.layers',
      '--dynamic',
      'encoder.enc',
      '--static',
      'encoder.wav2vec2.model.feature_extractor.conv_layers',
      '--static',
      'encoder.wav2vec2.model.feature_projection',
      '--exclude',
      'encoder.wav2vec2.model.encoder.pos_conv_embed',
      '--exclude',
      'encoder.ctc_lin',
      '--calib',
      CORPUS,
      '--calib-n',
      '10',
      '--seed',
      '0',
    ],
  },
  {
    name: 'bench',
    args: [
      'bench',
      '--model',
      MODEL,
      '--model',
      'model.int8.onnx',
      '--data',
      CORPUS,
      '--n',
      '35',
      '--warmup',
      '5',
      '--out',
      'bench-int8',
    ],
  },
  {
    name: 'sensitivity',
    args: [
      'sensitivity',
      '--dynamic',
      'encoder.wav2vec2.model.encoder.layers',
      '--dynamic',
      'encoder.enc',
      '--dynamic',
      'encoder.ctc_lin',
      '--static',
      'encoder.wav2vec2.model.feature_extractor',
      '--static',
      'encoder.wav2vec2.model.feature_projection',
      '--calib',
      CORPUS,
      '--eval',
      CORPUS,
      '--eval-n',
      '20',
    ],
  },
];

/** Every file below `dir` (recursively), sorted, skipping test files. */
async function filesBelow(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && !/\.test\.ts$/.test(entry.name)) out.push(join(entry.parentPath, entry.name));
  }
  return out.sort();
}

/** Hash of what the outputs depend on: the packages' and the CLI's sources, the bundled data, the commands. */
export async function tutorialInputsHash(): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify(tutorialCommands));
  const packages = await readdir(join(repoRoot, 'packages'));
  const dirs = [
    ...packages.map((p) => join(repoRoot, 'packages', p, 'src')),
    join(repoRoot, 'apps', 'cli', 'src'),
    join(repoRoot, 'packages', 'fixtures', 'model'),
    join(repoRoot, 'packages', 'fixtures', 'corpus', 'dev-mini'),
    join(repoRoot, 'packages', 'fixtures', 'plans'),
  ];
  for (const dir of dirs.sort())
    for (const file of await filesBelow(dir)) hash.update(relative(repoRoot, file)).update(await readFile(file));
  return hash.digest('hex').slice(0, 16);
}

/** Replaces the scratch folder and the fixtures' real location by the paths the tutorial uses. */
function tidy(text: string, scratch: string): string {
  const fixtures = join(repoRoot, 'packages', 'fixtures');
  return text.replaceAll(`${scratch}/`, '').replaceAll(fixtures, 'node_modules/@asrq/fixtures').replace(/\s+$/, '\n');
}

/** Runs the commands in a fresh scratch folder; returns name -> tidied stdout. */
async function runCommands(): Promise<Map<string, string>> {
  const scratch = await mkdtemp(join(tmpdir(), 'asrq-docs-tutorial-'));
  try {
    await mkdir(join(scratch, 'node_modules', '@asrq'), { recursive: true });
    await symlink(join(repoRoot, 'packages', 'fixtures'), join(scratch, 'node_modules', '@asrq', 'fixtures'));
    const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
    const bin = join(repoRoot, 'apps', 'cli', 'src', 'bin.ts');
    const outputs = new Map<string, string>();
    for (const { name, args } of tutorialCommands) {
      const { stdout } = await run(tsx, ['--conditions=@asrq/source', bin, ...args], {
        cwd: scratch,
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
      }).catch((error: { stderr?: string; message: string }) => {
        throw new Error(`docs: the tutorial's \`asrq ${args.join(' ')}\` failed:\n${error.stderr || error.message}`);
      });
      outputs.set(name, tidy(stdout, scratch));
    }
    return outputs;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Writes `tutorial/generated/<name>.txt` for every tutorial command, from the cache when the
 * inputs did not change.
 * @returns Whether the outputs came from the cache, and the output folder.
 */
export async function generateTutorialOutputs(): Promise<{ cached: boolean; dir: string }> {
  const dir = join(docsRoot, 'tutorial', 'generated');
  const cache = join(docsRoot, '.vitepress', 'cache', 'tutorial-outputs', await tutorialInputsHash());
  const cached = tutorialCommands.every(({ name }) => existsSync(join(cache, `${name}.txt`)));
  if (!cached) {
    const outputs = await runCommands();
    await rm(join(docsRoot, '.vitepress', 'cache', 'tutorial-outputs'), { recursive: true, force: true });
    await mkdir(cache, { recursive: true });
    for (const [name, text] of outputs) await writeFile(join(cache, `${name}.txt`), text);
  }
  await rm(dir, { recursive: true, force: true });
  await cp(cache, dir, { recursive: true });
  return { cached, dir };
}
