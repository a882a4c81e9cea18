// Running commands for the pack check (scripts/pack-check.mjs, scripts/pack-check-npm.mjs).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './package-metadata.mjs';

/** The pnpm version the repository pins (package.json packageManager). */
const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];

/**
 * Runs a command; returns stdout, or throws with its output. A command that is not on PATH is
 * named as such (execFileSync's own error has no output to show).
 */
export function run(command, args, cwd, env = {}) {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    if (error.code === 'ENOENT') {
      const hint =
        command === 'pnpm'
          ? ` Install it with \`npm install -g pnpm@${pnpmVersion}\` (or \`corepack enable\`), or run this script through \`npx --yes pnpm@${pnpmVersion} exec node scripts/pack-check.mjs\`.`
          : '';
      throw new Error(
        `${command} is not on PATH (spawn ${command} ENOENT), needed for \`${command} ${args.join(' ')}\`.${hint}`,
      );
    }
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}:\n${error.stdout ?? ''}${error.stderr ?? ''}${error.stdout || error.stderr ? '' : error.message}`,
    );
  }
}

/** `npx asrq --help` and `npx asrq transcribe <a bundled utterance>` in `app`; returns the transcript. */
export function runInstalledCli(app, log, label = 'npx asrq') {
  const help = run('npx', ['--offline', 'asrq', '--help'], app);
  if (!help.includes('Usage: asrq')) throw new Error(`npx asrq --help printed no usage:\n${help}`);
  log(`${label} --help: ${help.split('\n')[0]}`);
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
  log(`${label} transcribe ${clip.split('/').pop()}: ${text.slice(0, 60)}...`);
  return text;
}
