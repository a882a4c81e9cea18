import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The packages as a registry user gets them: scripts/pack-check.mjs packs every public package
// (globalSetup built them), installs the tarballs into a fresh `npm init -y` project and uses them
// there. See the script for how third-party dependencies are installed offline.
const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('published packages', () => {
  it('every public package.json has the registry fields and a LICENSE, and packs exports without the source condition', async () => {
    const { stderr } = await run('node', ['scripts/package-metadata.mjs', '--check'], { cwd: root });
    expect(stderr).toBe('');
  });

  it('pack, install into a fresh project, import every entry point, tsc (nodenext, bundler), npx asrq --help and transcribe', async () => {
    const { stdout } = await run('node', ['scripts/pack-check.mjs'], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
    expect(stdout).toMatch(/^packed asrq: /m);
    expect(stdout).toMatch(/^installed 12 tarballs /m);
    expect(stdout).toMatch(/^node: import\(\) of \d+ entry points: .*@asrq\/core\/node/m);
    expect(stdout).toMatch(/^tsc --module nodenext .*no errors$/m);
    expect(stdout).toMatch(/^tsc --module esnext --moduleResolution bundler .*no errors$/m);
    expect(stdout).toMatch(/^npx asrq --help: Usage: asrq/m);
    expect(stdout).toMatch(/^npx asrq transcribe \S+\.flac: [A-Z' ]+/m);
  }, 600_000);
});
