// Packs every public package as the registry would get it, installs the tarballs into a fresh
// `npm init -y` project and uses them from there as a user would: an ESM import of every export,
// tsc under module nodenext and bundler, `npx asrq --help` and `npx asrq transcribe`.
//
//   node scripts/pack-check.mjs [--keep]      (build first: pnpm build)
//
// Offline: the tarballs are installed with `pnpm install --offline`, which takes the third-party
// dependencies (onnxruntime-node, commander, ...) from the local pnpm store that the workspace
// install filled; `npm install --offline` would need them in npm's own cache. Every @asrq/*
// dependency is pointed at its tarball with pnpm.overrides, so nothing comes from a registry.
// Prints one line per check; exits 1 on the first failure.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publicPackages, root, sourceCondition } from './package-metadata.mjs';

/** Runs a command; returns stdout, or throws with its output. */
function run(command, args, cwd, env = {}) {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  }
}

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

export function packCheck({ keep = false, log = console.log } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'asrq-pack-check-'));
  const tarballs = join(work, 'tarballs');
  const app = join(work, 'app');
  mkdirSync(tarballs);
  mkdirSync(app);
  try {
    const packages = publicPackages();
    const packed = [];
    for (const { dir, json } of packages) {
      const before = new Set(readdirSync(tarballs));
      run('pnpm', ['pack', '--pack-destination', tarballs], join(root, dir));
      const tarball = readdirSync(tarballs).find((f) => !before.has(f));
      const listing = run('tar', ['-tzf', join(tarballs, tarball)], work)
        .split('\n')
        .filter(Boolean);
      const manifest = JSON.parse(run('tar', ['-xzOf', join(tarballs, tarball), 'package/package.json'], work));
      const text = JSON.stringify(manifest);
      if (JSON.stringify(manifest.exports ?? {}).includes(sourceCondition))
        throw new Error(
          `${tarball}: the packed exports still have the ${sourceCondition} condition (src/ is not in the tarball)`,
        );
      if (text.includes('workspace:') || text.includes('catalog:'))
        throw new Error(`${tarball}: the packed package.json still has workspace: or catalog: versions`);
      const missing = [...exportTargets(manifest.exports), ...Object.values(manifest.bin ?? {})]
        .map((f) => `package/${f.replace(/^\.\//, '')}`)
        .filter((f) => !f.endsWith('package.json') && !listing.includes(f));
      if (missing.length > 0)
        throw new Error(`${tarball}: exports/bin point at files not in the tarball: ${missing.join(', ')}`);
      for (const needed of ['package/LICENSE', 'package/README.md'])
        if (!listing.includes(needed)) throw new Error(`${tarball}: no ${needed.slice(8)}`);
      log(
        `packed ${json.name}: ${tarball}, ${listing.length} files, exports ${Object.keys(manifest.exports ?? {}).join(' ')}`,
      );
      packed.push({
        name: json.name,
        tarball: join(tarballs, tarball),
        exports: Object.keys(manifest.exports ?? {}).filter((p) => !p.endsWith('.json')),
      });
    }

    run('npm', ['init', '-y'], app, { npm_config_loglevel: 'error' });
    const pkg = JSON.parse(run('node', ['-p', 'JSON.stringify(require("./package.json"))'], app));
    const file = (p) => `file:${p.tarball}`;
    pkg.type = 'module';
    pkg.dependencies = Object.fromEntries(packed.map((p) => [p.name, file(p)]));
    pkg.devDependencies = { '@types/node': '20.19.43', typescript: '5.9.3' };
    pkg.pnpm = { overrides: Object.fromEntries(packed.map((p) => [p.name, file(p)])) };
    writeFileSync(join(app, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    // Offline when pnpm's metadata cache knows every third-party dependency; otherwise the
    // registry is asked for metadata only (--prefer-offline: package files still come from the store).
    let mode = '--offline';
    try {
      run('pnpm', ['install', '--offline', '--ignore-workspace', '--config.confirmModulesPurge=false'], app);
    } catch (error) {
      if (!/ERR_PNPM_NO_OFFLINE/.test(error.message)) throw error;
      mode =
        "--prefer-offline (pnpm's metadata cache lacked some third-party packages, so their metadata came from the registry)";
      run('pnpm', ['install', '--prefer-offline', '--ignore-workspace', '--config.confirmModulesPurge=false'], app);
    }
    log(`installed ${packed.length} tarballs into a fresh npm init -y project (pnpm install ${mode})`);

    const specifiers = packed.flatMap((p) =>
      p.exports.map((sub) => (sub === '.' ? p.name : `${p.name}/${sub.slice(2)}`)),
    );
    for (const specifier of specifiers.filter((s) => s !== 'asrq')) {
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
    log(
      `node: import() of ${specifiers.filter((s) => s !== 'asrq').length} entry points: ${specifiers.filter((s) => s !== 'asrq').join(', ')}`,
    );

    const imports = specifiers
      .filter((s) => s !== 'asrq')
      .map((s, i) => `import * as m${i} from ${JSON.stringify(s)};\nconsole.log(Object.keys(m${i}).length);`)
      .join('\n');
    writeFileSync(
      join(app, 'index.ts'),
      `${imports}\nimport { AsrqError } from '@asrq/core';\nconst e: AsrqError = new AsrqError('X_Y', 'm');\nconsole.log(e.code);\n`,
    );
    for (const [moduleKind, resolution] of [
      ['nodenext', 'nodenext'],
      ['esnext', 'bundler'],
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
        files: ['index.ts'],
      };
      writeFileSync(join(app, `tsconfig.${resolution}.json`), JSON.stringify(config, null, 2));
      run(join(app, 'node_modules', '.bin', 'tsc'), ['-p', `tsconfig.${resolution}.json`], app);
      log(`tsc --module ${moduleKind} --moduleResolution ${resolution} (skipLibCheck false): no errors`);
    }

    const help = run('npx', ['--offline', 'asrq', '--help'], app);
    if (!help.includes('Usage: asrq')) throw new Error(`npx asrq --help printed no usage:\n${help}`);
    log(`npx asrq --help: ${help.split('\n')[0]}`);
    const clip = run(
      'node',
      [
        '--input-type=module',
        '-e',
        "import { readdirSync } from 'node:fs'; import { join } from 'node:path'; import { defaultCorpusDir } from '@asrq/fixtures'; const s = join(defaultCorpusDir, readdirSync(defaultCorpusDir).sort()[0]); const c = join(s, readdirSync(s)[0]); console.log(join(c, readdirSync(c).find((f) => f.endsWith('.flac'))));",
      ],
      app,
    ).trim();
    const text = run('npx', ['--offline', 'asrq', 'transcribe', clip], app).trim();
    if (text.split(' ').length < 3) throw new Error(`npx asrq transcribe printed too little: ${text}`);
    log(`npx asrq transcribe ${clip.split('/').pop()}: ${text.slice(0, 60)}...`);
    return { work, packed: packed.length, specifiers };
  } finally {
    if (!keep) rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  try {
    packCheck({ keep: process.argv.includes('--keep') });
  } catch (error) {
    console.error(error.message);
    process.exitCode = 1;
  }
}
