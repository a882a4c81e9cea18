// Packs every public package as the registry would get it, installs the tarballs as users would
// and uses them from there:
//
// 1. all of them into a fresh `npm init -y` project (pnpm, offline): an ESM import() and a
//    CommonJS require() of every export, tsc under module nodenext (an .ts and a .cts file) and
//    bundler, `npx asrq --help` and `npx asrq transcribe`;
// 2. with npm itself, the install paths the docs give (scripts/pack-check-npm.mjs): the CLI, a
//    Node library install and a browser install, each measured (du -sm node_modules), none
//    running onnxruntime-node's install script (it downloads CUDA binaries), and a browser bundle
//    that pulls in no onnxruntime-node.
//
//   node scripts/pack-check.mjs [--keep] [--no-npm]     (build first: pnpm build)
//
// Part 1 is offline: the tarballs are installed with `pnpm install --offline`, which takes the
// third-party dependencies (onnxruntime-node, commander, ...) from the local pnpm store that the
// workspace install filled. Every @asrq/* dependency is pointed at its tarball with
// pnpm.overrides (npm `overrides` in part 2), so no @asrq package comes from a registry. Part 2
// needs npm's cache or the npm registry for the third-party packages (--prefer-offline).
// Prints one line per check; exits 1 on the first failure.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingCommonJs, publicPackages, root, sourceCondition } from './package-metadata.mjs';
import { npmInstallChecks } from './pack-check-npm.mjs';
import { run, runInstalledCli } from './pack-check-run.mjs';

/** Export targets of an exports map (sub-path -> files). */
function exportTargets(exports) {
  const files = [];
  const walk = (value) =>
    typeof value === 'string'
      ? files.push(value)
      : value && typeof value === 'object' && Object.values(value).forEach(walk);
  walk(exports);
  return files;
}

/** What a packed package.json must not have, and what its exports must point at. */
function checkPacked(tarball, manifest, listing) {
  const text = JSON.stringify(manifest);
  if (JSON.stringify(manifest.exports ?? {}).includes(sourceCondition))
    throw new Error(
      `${tarball}: the packed exports still have the ${sourceCondition} condition (src/ is not in the tarball)`,
    );
  if (text.includes('workspace:') || text.includes('catalog:'))
    throw new Error(`${tarball}: the packed package.json still has workspace: or catalog: versions`);
  const noRequire = missingCommonJs(manifest.exports ?? {});
  if (noRequire.length > 0)
    throw new Error(
      `${tarball}: exports ${noRequire.join(', ')} have no require/default condition (require() would fail with ERR_PACKAGE_PATH_NOT_EXPORTED). Run node scripts/package-metadata.mjs --write.`,
    );
  const missing = [...exportTargets(manifest.exports), ...Object.values(manifest.bin ?? {})]
    .map((f) => `package/${f.replace(/^\.\//, '')}`)
    .filter((f) => !f.endsWith('package.json') && !listing.includes(f));
  if (missing.length > 0)
    throw new Error(`${tarball}: exports/bin point at files not in the tarball: ${missing.join(', ')}`);
  for (const needed of ['package/LICENSE', 'package/README.md'])
    if (!listing.includes(needed)) throw new Error(`${tarball}: no ${needed.slice(8)}`);
}

/** Packs every public package into `tarballs`; returns name, tarball path, manifest and sub-paths of each. */
export function packAll(work, tarballs, log) {
  const packed = [];
  for (const { dir, json } of publicPackages()) {
    const before = new Set(readdirSync(tarballs));
    run('pnpm', ['pack', '--pack-destination', tarballs], join(root, dir));
    const tarball = readdirSync(tarballs).find((f) => !before.has(f));
    const listing = run('tar', ['-tzf', join(tarballs, tarball)], work)
      .split('\n')
      .filter(Boolean);
    const manifest = JSON.parse(run('tar', ['-xzOf', join(tarballs, tarball), 'package/package.json'], work));
    checkPacked(tarball, manifest, listing);
    log(
      `packed ${json.name}: ${tarball}, ${listing.length} files, exports ${Object.keys(manifest.exports ?? {}).join(' ')}`,
    );
    packed.push({
      name: json.name,
      tarball: join(tarballs, tarball),
      manifest,
      exports: Object.keys(manifest.exports ?? {}).filter((p) => !p.endsWith('.json')),
    });
  }
  return packed;
}

/** Installs every tarball into `app` with pnpm, offline when its metadata cache allows; returns the mode used. */
function pnpmInstallAll(app, packed) {
  run('npm', ['init', '-y'], app, { npm_config_loglevel: 'error' });
  const pkg = JSON.parse(run('node', ['-p', 'JSON.stringify(require("./package.json"))'], app));
  const file = (p) => `file:${p.tarball}`;
  const ortWeb = packed.find((p) => p.name === '@asrq/runtime')?.manifest.peerDependencies?.['onnxruntime-web'];
  pkg.type = 'module';
  // onnxruntime-web is an optional peer of @asrq/runtime: a user of @asrq/runtime/browser installs it.
  pkg.dependencies = { ...Object.fromEntries(packed.map((p) => [p.name, file(p)])), 'onnxruntime-web': ortWeb };
  pkg.devDependencies = { '@types/node': '20.19.43', typescript: '5.9.3' };
  pkg.pnpm = { overrides: Object.fromEntries(packed.map((p) => [p.name, file(p)])) };
  writeFileSync(join(app, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  // Offline when pnpm's metadata cache knows every third-party dependency; otherwise the
  // registry is asked for metadata only (--prefer-offline: package files still come from the store).
  try {
    run('pnpm', ['install', '--offline', '--ignore-workspace', '--config.confirmModulesPurge=false'], app);
    return '--offline';
  } catch (error) {
    if (!/ERR_PNPM_NO_OFFLINE/.test(error.message)) throw error;
    run('pnpm', ['install', '--prefer-offline', '--ignore-workspace', '--config.confirmModulesPurge=false'], app);
    return "--prefer-offline (pnpm's metadata cache lacked some third-party packages, so their metadata came from the registry)";
  }
}

/** import() and require() of every entry point. */
function loadEveryEntry(app, specifiers, log) {
  for (const specifier of specifiers) {
    run(
      'node',
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(specifier)}); if (Object.keys(m).length === 0) throw new Error('no exports');`,
      ],
      app,
    );
  }
  log(`node: import() of ${specifiers.length} entry points: ${specifiers.join(', ')}`);
  // CommonJS (Node >= 20.19 requires ES modules): one process, every failure listed.
  const failures = run(
    'node',
    [
      '--input-type=commonjs',
      '-e',
      `const failed = [];
for (const s of ${JSON.stringify(specifiers)}) {
  try { if (Object.keys(require(s)).length === 0) failed.push(s + ': no exports'); }
  catch (e) { failed.push(s + ': ' + (e.code ?? '') + ' ' + e.message.split('\\n')[0]); }
}
console.log(failed.join('\\n'));`,
    ],
    app,
  ).trim();
  if (failures) throw new Error(`require() from CommonJS failed:\n${failures}`);
  log(`node: require() of ${specifiers.length} entry points from CommonJS: no errors`);
}

/** tsc over every entry point: ESM under nodenext and bundler, CommonJS (.cts) under nodenext. */
function typecheckEveryEntry(app, specifiers, log) {
  const imports = specifiers
    .map((s, i) => `import * as m${i} from ${JSON.stringify(s)};\nconsole.log(Object.keys(m${i}).length);`)
    .join('\n');
  writeFileSync(
    join(app, 'index.ts'),
    `${imports}\nimport { AsrqError } from '@asrq/core';\nconst e: AsrqError = new AsrqError('X_Y', 'm');\nconsole.log(e.code);\n`,
  );
  const requires = specifiers.map(
    (s, i) => `import r${i} = require(${JSON.stringify(s)});\nconsole.log(Object.keys(r${i}).length);`,
  );
  writeFileSync(
    join(app, 'index.cts'),
    `${requires.join('\n')}\nimport core = require('@asrq/core');\nconst e: core.AsrqError = new core.AsrqError('X_Y', 'm');\nconsole.log(e.code);\n`,
  );
  for (const [moduleKind, resolution, file] of [
    ['nodenext', 'nodenext', 'index.ts'],
    ['esnext', 'bundler', 'index.ts'],
    ['nodenext', 'nodenext', 'index.cts'],
  ]) {
    const config = {
      compilerOptions: {
        module: moduleKind,
        moduleResolution: resolution,
        target: 'es2022',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
      },
      files: [file],
    };
    const name = `tsconfig.${resolution}.${file.replace('.', '-')}.json`;
    writeFileSync(join(app, name), JSON.stringify(config, null, 2));
    run(join(app, 'node_modules', '.bin', 'tsc'), ['-p', name], app);
    const what = file.endsWith('.cts') ? `CommonJS ${file} (import x = require(...))` : file;
    log(`tsc --module ${moduleKind} --moduleResolution ${resolution} ${what} (skipLibCheck false): no errors`);
  }
}

export async function packCheck({ keep = false, npm = true, log = console.log } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'asrq-pack-check-'));
  const tarballs = join(work, 'tarballs');
  const app = join(work, 'app');
  mkdirSync(tarballs);
  mkdirSync(app);
  try {
    const packed = packAll(work, tarballs, log);
    const mode = pnpmInstallAll(app, packed);
    log(`installed ${packed.length} tarballs into a fresh npm init -y project (pnpm install ${mode})`);
    const specifiers = packed
      .flatMap((p) => p.exports.map((sub) => (sub === '.' ? p.name : `${p.name}/${sub.slice(2)}`)))
      .filter((s) => s !== 'asrq');
    loadEveryEntry(app, specifiers, log);
    typecheckEveryEntry(app, specifiers, log);
    runInstalledCli(app, log);
    const sizes = npm ? await npmInstallChecks({ work, packed, log }) : undefined;
    return { work, packed: packed.length, specifiers, sizes };
  } finally {
    if (!keep) rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  try {
    await packCheck({ keep: process.argv.includes('--keep'), npm: !process.argv.includes('--no-npm') });
  } catch (error) {
    console.error(error.message);
    process.exitCode = 1;
  }
}
