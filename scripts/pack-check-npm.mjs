// The install paths the docs give, with npm itself, on the packed tarballs (part 2 of
// scripts/pack-check.mjs):
//
// - control: a plain `npm install onnxruntime-node` runs its install script, which downloads
//   CUDA binaries (on Linux x64). The script's downloads go through global-agent, pointed here at
//   a closed port (GLOBAL_AGENT_HTTP(S)_PROXY=127.0.0.1:9), so a run of it fails the install on
//   any machine, online or not; the control proves the checks below would see it run.
// - the CLI: `ONNXRUNTIME_NODE_INSTALL=skip npm install <tarballs>/*.tgz` (one step; what the docs
//   give until a release, the same tree as `npm install asrq` after it), under 350 MB, no
//   onnxruntime-web, no CUDA files; `npx asrq transcribe` works.
// - a Node library: a project `.npmrc` with `onnxruntime-node-install=skip`, then a plain
//   `npm install @asrq/runtime @asrq/ctc @asrq/fixtures onnxruntime-node`; no onnxruntime-web;
//   a transcription through the API. Then the same with package.json `allowScripts`
//   (`"onnxruntime-node": false`) instead of the .npmrc, when this npm knows allowScripts.
// - a browser: `npm install @asrq/runtime onnxruntime-web`: no onnxruntime-node in node_modules,
//   the browser entry type-checks with lib dom and no @types/node, and an esbuild bundle of it
//   has no module of onnxruntime-node (nor any Node built-in).
//
// Sizes are `du -sm node_modules` (MiB on disk, as `du -sh` shows them).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { join } from 'node:path';
import { root } from './package-metadata.mjs';
import { run, runInstalledCli } from './pack-check-run.mjs';

/** The CLI's install must stay below this (issue 25: 466 MB when @asrq/runtime carried both onnxruntimes). */
export const CLI_INSTALL_LIMIT_MB = 350;

// onnxruntime-node's install script reads these; none may leak in from the caller (.ci/run sets
// the first), or the checks would not test what the docs tell users to do.
const cleanEnv = {
  ONNXRUNTIME_NODE_INSTALL: undefined,
  ONNXRUNTIME_NODE_INSTALL_CUDA: undefined,
  npm_config_onnxruntime_node_install: undefined,
  npm_config_onnxruntime_node_install_cuda: undefined,
  GLOBAL_AGENT_HTTP_PROXY: 'http://127.0.0.1:9',
  GLOBAL_AGENT_HTTPS_PROXY: 'http://127.0.0.1:9',
  npm_config_loglevel: 'error',
};

/** The files onnxruntime-node's install script adds on Linux x64 (its script/install-metadata.js). */
const cudaFile = 'libonnxruntime_providers_cuda.so';

/** Writes a fresh npm project with these dependencies (every @asrq/* pointed at its tarball) and installs it. */
function npmProject(work, name, packed, { dependencies = {}, args = [], npmrc, allowScripts, env = {} }) {
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  const overrides = Object.fromEntries(packed.map((p) => [p.name, `file:${p.tarball}`]));
  const deps = Object.fromEntries(Object.entries(dependencies).map(([n, v]) => [n, overrides[n] ?? v]));
  // Tarballs named on the command line are installed as the docs say, without overrides (npm
  // refuses an override that names a direct dependency); listed dependencies get their @asrq
  // dependencies pointed at the tarballs.
  const json = { name, version: '1.0.0', private: true, type: 'module', dependencies: deps };
  if (args.length === 0) json.overrides = overrides;
  if (allowScripts) json.allowScripts = allowScripts;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(json, null, 2)}\n`);
  if (npmrc) writeFileSync(join(dir, '.npmrc'), npmrc);
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...args], dir, { ...cleanEnv, ...env });
  return dir;
}

/** What an install left in node_modules. */
function installed(dir) {
  const modules = join(dir, 'node_modules');
  const mb = Number(execFileSync('du', ['-sm', modules], { encoding: 'utf8' }).split('\t')[0]);
  const has = (name) => existsSync(join(modules, name, 'package.json'));
  const ortBin = join(modules, 'onnxruntime-node', 'bin', 'napi-v6', platform(), arch());
  return {
    mb,
    has,
    cpuBinaries: existsSync(join(ortBin, 'onnxruntime_binding.node')),
    cuda: existsSync(join(ortBin, cudaFile)),
  };
}

/** The install script must not have run: the CPU binaries are there, the CUDA files are not. */
function expectCpuOnly(facts, what) {
  if (!facts.has('onnxruntime-node')) throw new Error(`${what}: onnxruntime-node is not installed`);
  if (!facts.cpuBinaries) throw new Error(`${what}: onnxruntime-node has no CPU binaries for ${platform()}/${arch()}`);
  if (facts.cuda) throw new Error(`${what}: onnxruntime-node's install script ran (${cudaFile} is there)`);
}

/** A plain install of onnxruntime-node runs its network install script (on Linux x64). */
function control(work, packed, ortVersion, log) {
  if (`${platform()}/${arch()}` !== 'linux/x64') {
    log(`npm control: skipped (onnxruntime-node's install script downloads nothing on ${platform()}/${arch()})`);
    return;
  }
  try {
    const dir = npmProject(work, 'npm-control', packed, { dependencies: { 'onnxruntime-node': ortVersion } });
    if (installed(dir).cuda) throw new Error('npm control: the CUDA files were downloaded despite the closed proxy');
    log(`npm control: npm ${npmVersion()} ran no install script of onnxruntime-node by default (scripts blocked)`);
  } catch (error) {
    if (!/ECONNREFUSED|script\/install|nuget/i.test(error.message)) throw error;
    log(
      'npm control: a plain `npm install onnxruntime-node` runs its install script, whose CUDA download fails here (proxy 127.0.0.1:9): the checks below would see it',
    );
  }
}

function npmVersion() {
  return run('npm', ['--version'], root).trim();
}

/** `ONNXRUNTIME_NODE_INSTALL=skip npm install <tarballs>/*.tgz`: size, no browser runtime, the CLI runs. */
function cliInstall(work, packed, log) {
  const dir = npmProject(work, 'npm-cli', packed, {
    args: packed.map((p) => p.tarball),
    env: { ONNXRUNTIME_NODE_INSTALL: 'skip' },
  });
  const facts = installed(dir);
  expectCpuOnly(facts, 'npm install asrq');
  if (facts.has('onnxruntime-web'))
    throw new Error('npm install asrq installed onnxruntime-web, which the CLI never runs');
  if (facts.mb >= CLI_INSTALL_LIMIT_MB)
    throw new Error(
      `npm install asrq takes ${facts.mb} MB (du -sm node_modules), more than ${CLI_INSTALL_LIMIT_MB} MB`,
    );
  log(
    `npm, CLI (ONNXRUNTIME_NODE_INSTALL=skip npm install tarballs/*.tgz, as npm install asrq): ${facts.mb} MB (du -sm node_modules; limit ${CLI_INSTALL_LIMIT_MB}), onnxruntime-node CPU binaries, no CUDA files, no onnxruntime-web`,
  );
  runInstalledCli(dir, log, 'npm, CLI: npx asrq');
  return facts.mb;
}

const transcribeScript = `import { loadTokenizer } from '@asrq/ctc';
import { defaultCorpusDir, defaultModelPath } from '@asrq/fixtures';
import { CtcModel, Transcriber, findTokenizer } from '@asrq/runtime';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
const speaker = join(defaultCorpusDir, readdirSync(defaultCorpusDir).sort()[0]);
const chapter = join(speaker, readdirSync(speaker)[0]);
const clip = join(chapter, readdirSync(chapter).find((f) => f.endsWith('.flac')));
const model = await CtcModel.load(defaultModelPath);
const tokenizer = await loadTokenizer(await findTokenizer(defaultModelPath));
const { text } = await new Transcriber(model, tokenizer).transcribeFile(clip);
await model.release();
console.log(text);
`;

/** A Node library install with the project `.npmrc`, then with package.json allowScripts. */
function nodeLibraryInstall(work, packed, ortVersion, log) {
  const dependencies = { '@asrq/runtime': '', '@asrq/ctc': '', '@asrq/fixtures': '', 'onnxruntime-node': ortVersion };
  const dir = npmProject(work, 'npm-node-library', packed, { dependencies, npmrc: 'onnxruntime-node-install=skip\n' });
  const facts = installed(dir);
  expectCpuOnly(facts, 'npm install @asrq/runtime onnxruntime-node');
  if (facts.has('onnxruntime-web'))
    throw new Error('a Node library install of @asrq/runtime installed onnxruntime-web');
  writeFileSync(join(dir, 'transcribe.js'), transcribeScript);
  const text = run('node', ['transcribe.js'], dir).trim();
  if (text.split(' ').length < 3) throw new Error(`transcribe.js printed too little: ${text}`);
  log(
    `npm, Node library (.npmrc onnxruntime-node-install=skip; npm install @asrq/runtime @asrq/ctc @asrq/fixtures onnxruntime-node): ${facts.mb} MB (du -sm node_modules), no CUDA files, no onnxruntime-web; CtcModel + Transcriber: ${text.slice(0, 40)}...`,
  );
  const knowsAllowScripts = (() => {
    try {
      run('npm', ['install-scripts', '--help'], dir);
      return true;
    } catch {
      return false;
    }
  })();
  if (!knowsAllowScripts) {
    log(`npm, Node library with package.json allowScripts: skipped (npm ${npmVersion()} has no allowScripts)`);
    return facts.mb;
  }
  const again = npmProject(work, 'npm-node-library-allow-scripts', packed, {
    dependencies,
    allowScripts: { 'onnxruntime-node': false },
  });
  expectCpuOnly(installed(again), 'npm install with allowScripts onnxruntime-node false');
  log(
    'npm, Node library (package.json "allowScripts": { "onnxruntime-node": false }, plain npm install): no CUDA files',
  );
  return facts.mb;
}

/** `npm install @asrq/runtime onnxruntime-web`: no native runtime installed, types and a bundle without it. */
async function browserInstall(work, packed, ortWebVersion, log) {
  const runtime = packed.find((p) => p.name === '@asrq/runtime');
  const sub = runtime.exports.find((s) => ['./web', './browser'].includes(s));
  if (!sub)
    throw new Error(`@asrq/runtime exports no browser entry (./web or ./browser): ${runtime.exports.join(' ')}`);
  const entry = `@asrq/runtime/${sub.slice(2)}`;
  const dir = npmProject(work, 'npm-browser', packed, {
    dependencies: { '@asrq/runtime': '', 'onnxruntime-web': ortWebVersion },
  });
  const facts = installed(dir);
  if (facts.has('onnxruntime-node'))
    throw new Error('npm install @asrq/runtime onnxruntime-web installed onnxruntime-node');
  writeFileSync(join(dir, 'main.ts'), `import * as web from '${entry}';\nconsole.log(Object.keys(web).length);\n`);
  const config = {
    compilerOptions: {
      module: 'esnext',
      moduleResolution: 'bundler',
      target: 'es2022',
      lib: ['es2022', 'dom'],
      types: [],
      strict: true,
      noEmit: true,
      skipLibCheck: false,
    },
    files: ['main.ts'],
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config, null, 2));
  run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], dir);
  const esbuild = createRequire(join(root, 'package.json'))('esbuild');
  const result = await esbuild.build({
    entryPoints: [join(dir, 'main.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    outdir: join(dir, 'out'),
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  const native = inputs.filter((f) => f.includes('node_modules/onnxruntime-node/'));
  if (native.length > 0) throw new Error(`the bundle of ${entry} has onnxruntime-node modules: ${native.join(', ')}`);
  const kb = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0) / 1024;
  log(
    `npm, browser (npm install @asrq/runtime onnxruntime-web): ${facts.mb} MB (du -sm node_modules), no onnxruntime-node; tsc of ${entry} with lib dom and no @types/node: no errors; esbuild bundle (platform browser): ${kb.toFixed(0)} KiB from ${inputs.length} modules, none of onnxruntime-node`,
  );
  return facts.mb;
}

/**
 * Part 2 of the pack check: the npm install paths.
 * @returns The sizes measured, in MB (du -sm node_modules).
 */
export async function npmInstallChecks({ work, packed, log }) {
  const runtime = packed.find((p) => p.name === '@asrq/runtime').manifest;
  const ortVersion = runtime.peerDependencies?.['onnxruntime-node'];
  const ortWebVersion = runtime.peerDependencies?.['onnxruntime-web'];
  if (!ortVersion || !ortWebVersion)
    throw new Error('@asrq/runtime must have onnxruntime-node and onnxruntime-web as (optional) peer dependencies');
  control(work, packed, ortVersion, log);
  const cli = cliInstall(work, packed, log);
  const nodeLibrary = nodeLibraryInstall(work, packed, ortVersion, log);
  const browser = await browserInstall(work, packed, ortWebVersion, log);
  return { cli, nodeLibrary, browser };
}
