import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The packages as a registry user gets them: scripts/pack-check.mjs packs every public package
// (globalSetup built them), installs the tarballs into a fresh `npm init -y` project and uses them
// there, then takes the npm install paths the docs give (scripts/pack-check-npm.mjs). See the
// scripts for how third-party dependencies are installed.
const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('published packages', () => {
  it('every public package.json has the registry fields and a LICENSE, and packs exports without the source condition', async () => {
    const { stderr } = await run('node', ['scripts/package-metadata.mjs', '--check'], { cwd: root });
    expect(stderr).toBe('');
  });

  it('pack, install into a fresh project, import and require every entry point, tsc (nodenext, bundler, .cts), npx asrq; the npm install paths', async () => {
    const { stdout } = await run('node', ['scripts/pack-check.mjs'], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
    expect(stdout).toMatch(/^packed asrq: /m);
    expect(stdout).toMatch(/^installed 12 tarballs /m);
    expect(stdout).toMatch(/^node: import\(\) of \d+ entry points: .*@asrq\/core\/node/m);
    expect(stdout).toMatch(/^node: require\(\) of \d+ entry points from CommonJS: no errors$/m);
    expect(stdout).toMatch(/^tsc --module nodenext --moduleResolution nodenext index\.ts .*no errors$/m);
    expect(stdout).toMatch(/^tsc --module esnext --moduleResolution bundler .*no errors$/m);
    expect(stdout).toMatch(/^tsc --module nodenext .*CommonJS index\.cts .*no errors$/m);
    expect(stdout).toMatch(/^npx asrq --help: Usage: asrq/m);
    expect(stdout).toMatch(/^npx asrq transcribe \S+\.flac: [A-Z' ]+/m);
    // Issue 25 items 2 and 3: no network install script, and each runtime only where it is used.
    expect(stdout).toMatch(/^npm control: /m);
    const cli = stdout.match(
      /^npm, CLI \(ONNXRUNTIME_NODE_INSTALL=skip npm install tarballs\/\*\.tgz, as npm install asrq\): (\d+) MB .*no CUDA files, no onnxruntime-web$/m,
    );
    expect(Number(cli?.[1])).toBeLessThan(350);
    expect(stdout).toMatch(/^npm, CLI: npx asrq transcribe \S+\.flac: [A-Z' ]+/m);
    expect(stdout).toMatch(
      /^npm, Node library \(\.npmrc onnxruntime-node-install=skip; .*no CUDA files, no onnxruntime-web; CtcModel \+ Transcriber: [A-Z' ]+/m,
    );
    expect(stdout).toMatch(
      /^npm, browser \(npm install @asrq\/runtime onnxruntime-web\): \d+ MB .*no onnxruntime-node; tsc .*no errors; esbuild bundle .*none of onnxruntime-node$/m,
    );
  }, 600_000);

  it('says so when pnpm is not on PATH instead of failing without a message', async () => {
    const bin = await mkdtemp(join(tmpdir(), 'asrq-no-pnpm-'));
    try {
      await symlink(process.execPath, join(bin, 'node'));
      const failed = await run(join(bin, 'node'), ['scripts/pack-check.mjs', '--no-npm'], {
        cwd: root,
        env: { ...process.env, PATH: bin },
      }).catch((error: { code: number; stderr: string }) => error);
      expect(failed).toMatchObject({ code: 1 });
      expect((failed as { stderr: string }).stderr).toMatch(
        /^pnpm is not on PATH \(spawn pnpm ENOENT\).*npm install -g pnpm@/m,
      );
    } finally {
      await rm(bin, { recursive: true, force: true });
    }
  });
});
