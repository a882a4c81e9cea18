import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The repository's build and CI configuration, as a fork gets it on the day it is pushed.
const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** Every workspace package folder (packages/*, apps/*). */
function packageDirs(): string[] {
  return ['packages', 'apps'].flatMap((group) =>
    readdirSync(join(root, group))
      .map((name) => join(root, group, name))
      .filter((dir) => existsSync(join(dir, 'package.json'))),
  );
}

/** Files outside `dir` that its build (tsdown.config.ts imports) or typecheck (tsconfig extends) reads. */
function sharedConfigFiles(dir: string): string[] {
  const files: string[] = [];
  const tsdown = join(dir, 'tsdown.config.ts');
  if (existsSync(tsdown))
    for (const match of readFileSync(tsdown, 'utf8').matchAll(/from\s+'(\.[^']+)'/g))
      files.push(resolve(dir, match[1]!));
  const tsconfig = join(dir, 'tsconfig.json');
  const extended = existsSync(tsconfig)
    ? /"extends":\s*"([^"]+)"/.exec(readFileSync(tsconfig, 'utf8'))?.[1]
    : undefined;
  if (extended?.startsWith('.')) files.push(resolve(dir, extended));
  return files.filter((file) => !file.startsWith(`${dir}/`)).map((file) => relative(root, file));
}

describe('turbo', () => {
  it("lists every shared config file a package's build or typecheck reads in globalDependencies (no FULL TURBO on stale output)", () => {
    const shared = [...new Set(packageDirs().flatMap(sharedConfigFiles))].sort();
    expect(shared).toEqual(expect.arrayContaining(['tsconfig.base.json', 'tsdown.shared.ts']));
    const globalDependencies = (JSON.parse(read('turbo.json')) as { globalDependencies?: string[] }).globalDependencies;
    expect(globalDependencies ?? []).toEqual(expect.arrayContaining(shared));
  });
});

describe('.ci/run', () => {
  it('fails naming each Debian tool that is missing (the cross-check tests would skip silently)', async () => {
    const bin = await mkdtemp(join(tmpdir(), 'asrq-no-tools-'));
    try {
      await symlink('/bin/bash', join(bin, 'bash'));
      const failed = await run('/bin/bash', [join(root, '.ci/check-tools')], { env: { PATH: bin } }).catch(
        (error: { code: number; stdout: string }) => error,
      );
      expect(failed).toMatchObject({ code: 1 });
      const stdout = (failed as { stdout: string }).stdout;
      for (const tool of ['flac', 'sclite (package sctk', 'chromium']) expect(stdout).toContain(`missing: ${tool}`);
    } finally {
      await rm(bin, { recursive: true, force: true });
    }
  });

  it('installs the tools, stops when that fails, then runs changeset status, lint, typecheck and the tests', () => {
    const script = read('.ci/run');
    expect(script).toMatch(/apt-get install[^\n]*\$debian_tools[^\n]*\\\n\s*\|\| \{[^}]*exit 1; \}/);
    expect(script).not.toMatch(/apt-get[^\n]*\|\| echo/);
    expect(script).toMatch(/^if ! bash \.ci\/check-tools; then$/m);
    for (const step of ['pnpm changeset status', 'pnpm lint', 'pnpm typecheck', 'pnpm test'])
      expect(script).toContain(step);
  });
});

describe('contributor files', () => {
  it('a GitHub Actions workflow runs .ci/run on Node 20, 22 and 24; .nvmrc names a supported Node', () => {
    const workflow = read('.github/workflows/ci.yml');
    expect(workflow).toMatch(/^\s+node: \[20, 22, 24\]$/m);
    expect(workflow).toMatch(/^\s+- run: bash \.ci\/run$/m);
    expect(workflow).toMatch(/node-version: \$\{\{ matrix\.node \}\}/);
    const nvmrc = read('.nvmrc').trim();
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
    expect(engines).toBe('>=20.19');
    expect(nvmrc).toMatch(/^(20|22|24)(\.\d+)*$/);
  });

  it('git ignores what the demo and the default bench and tune runs write, in any folder', async () => {
    for (const path of ['asrq-demo/model.int8.onnx', 'asrq-bench/report.json', 'examples/asrq-lm-tune/best.json']) {
      const { stdout } = await run('git', ['check-ignore', '--no-index', path], { cwd: root });
      expect(stdout.trim()).toBe(path);
    }
  });

  it('has issue and pull request templates', () => {
    for (const file of [
      '.github/pull_request_template.md',
      '.github/ISSUE_TEMPLATE/bug_report.yml',
      '.github/ISSUE_TEMPLATE/feature_request.yml',
    ])
      expect(existsSync(join(root, file)), file).toBe(true);
    expect(read('.github/pull_request_template.md')).toContain('pnpm changeset');
  });
});
