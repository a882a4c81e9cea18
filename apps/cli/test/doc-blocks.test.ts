import { execFile } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { defaultCorpusDir, defaultModelPath, defaultTokenizerPath } from '@asrq/fixtures';
import { afterAll, describe, expect, it } from 'vitest';

// Every TypeScript/JavaScript block of the READMEs and the hand-written docs runs here, as written,
// in a scratch ES module project whose node_modules link the workspace packages, with the bundled
// model, tokenizer and corpus under the names the examples use. A block that cannot run on its own
// (a fragment, a browser, a download) says so in its info string: ```ts no-run
const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const RUNNABLE = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs', 'mts', 'cjs']);
/** The file extension a block runs as: CommonJS blocks (`cjs`) as .cjs, other JavaScript as .mjs, TypeScript as .mts. */
const extensionOf = (lang: string) => (lang === 'cjs' ? 'cjs' : lang.startsWith('j') || lang === 'mjs' ? 'mjs' : 'mts');

interface Block {
  file: string;
  line: number;
  lang: string;
  runnable: boolean;
  code: string;
}

function markdownFiles(): string[] {
  const files = ['README.md', 'apps/cli/README.md'];
  for (const name of readdirSync(join(root, 'packages'))) files.push(`packages/${name}/README.md`);
  const walk = (dir: string) => {
    for (const name of readdirSync(join(root, dir))) {
      const path = `${dir}/${name}`;
      if (['node_modules', 'api', '.vitepress', 'dist'].includes(name)) continue;
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (name.endsWith('.md')) files.push(path);
    }
  };
  walk('apps/docs');
  return files.filter((f) => {
    try {
      return statSync(join(root, f)).isFile();
    } catch {
      return false;
    }
  });
}

/** The fenced code blocks of a Markdown file whose language is TypeScript or JavaScript. */
function codeBlocks(file: string): Block[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})\s*([\w-]+)?(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith(open[1]!) && l.trim() === open[1]);
    const lang = (open[2] ?? '').toLowerCase();
    if (RUNNABLE.has(lang))
      blocks.push({
        file,
        line: i + 1,
        lang,
        runnable: !/\bno-run\b/.test(open[3] ?? ''),
        code: lines.slice(i + 1, end).join('\n'),
      });
    i = end < 0 ? lines.length : end;
  }
  return blocks;
}

const blocks = markdownFiles().flatMap(codeBlocks);
const work = mkdtempSync(join(tmpdir(), 'asrq-doc-blocks-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A fresh ES module project: the workspace packages linked in, the bundled data under the examples' names. */
function scratchProject(name: string): string {
  const dir = join(work, name);
  mkdirSync(join(dir, 'node_modules', '@asrq'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "name": "doc-block", "private": true, "type": "module" }\n');
  for (const pkg of readdirSync(join(root, 'packages')))
    symlinkSync(join(root, 'packages', pkg), join(dir, 'node_modules', '@asrq', pkg), 'dir');
  symlinkSync(join(root, 'apps', 'cli'), join(dir, 'node_modules', 'asrq'), 'dir');
  for (const model of ['model.onnx', 'model.int8.onnx', 'asrq-tutorial/model.int8.onnx']) {
    mkdirSync(join(dir, model, '..'), { recursive: true });
    copyFileSync(defaultModelPath, join(dir, model));
    copyFileSync(defaultTokenizerPath, join(dir, model, '..', 'tokenizer.model'));
  }
  mkdirSync(join(dir, 'LibriSpeech'));
  symlinkSync(defaultCorpusDir, join(dir, 'LibriSpeech', 'dev-clean'), 'dir');
  const speaker = readdirSync(defaultCorpusDir).sort()[0]!;
  const chapter = readdirSync(join(defaultCorpusDir, speaker))[0]!;
  const flac = readdirSync(join(defaultCorpusDir, speaker, chapter)).find((f) => f.endsWith('.flac'))!;
  for (const name of ['utt.flac', 'utterance.flac'])
    copyFileSync(join(defaultCorpusDir, speaker, chapter, flac), join(dir, name));
  return dir;
}

describe('code blocks in the READMEs and docs', () => {
  it('finds the blocks, and every one is run below or marked no-run', () => {
    expect(blocks.length).toBeGreaterThan(10);
    expect(blocks.filter((b) => b.runnable).length).toBeGreaterThanOrEqual(4);
  });

  for (const block of blocks.filter((b) => b.runnable)) {
    it(`${block.file}:${block.line} runs as written`, async () => {
      const dir = scratchProject(`${relative(root, join(root, block.file)).replace(/[^\w]+/g, '-')}-${block.line}`);
      const file = join(dir, `example.${extensionOf(block.lang)}`);
      writeFileSync(file, `${block.code}\n`);
      const result = await run(tsx, ['--conditions=@asrq/source', file], {
        cwd: dir,
        maxBuffer: 16 * 1024 * 1024,
        timeout: 240_000,
      }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
        throw new Error(`${block.file}:${block.line} failed:\n${error.stderr || error.message}`);
      });
      expect(result).toBeDefined();
    }, 300_000);
  }
});
