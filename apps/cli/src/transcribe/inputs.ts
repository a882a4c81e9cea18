import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { audioFormatOfExtension } from '@asrq/audio';
import { CliError } from '../errors.js';

/** An audio file to transcribe and the name its outputs get. */
export interface AudioInput {
  /** Absolute path. */
  path: string;
  /** What the user typed or the path found under it, for messages. */
  display: string;
  /** Output name without extension: the path below the directory or glob root, else the file's base name. */
  outputStem: string;
}

function hasGlob(text: string): boolean {
  return /[*?[]/.test(text);
}

/** Converts a glob (`**`, `*`, `?`, `[...]`) to a regular expression over `/`-separated paths. */
function globRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      out += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i);
      if (close < 0) out += '\\[';
      else {
        out += `[${glob.slice(i + 1, close).replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else out += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

function stemOf(path: string): string {
  return path.slice(0, path.length - extname(path).length);
}

/**
 * Expands the command line's audio arguments: files as given, directories searched recursively
 * for .wav and .flac files, globs (`*`, `**`, `?`, `[..]`) matched below their fixed leading directories.
 * @param args - Files, directories and globs.
 * @returns The files, in argument order and sorted within a directory or glob, without duplicates.
 * @throws AsrqError `CLI_NO_AUDIO` when a directory or glob holds no audio file.
 */
export async function expandAudioInputs(args: readonly string[]): Promise<AudioInput[]> {
  const inputs: AudioInput[] = [];
  const seen = new Set<string>();
  const add = (path: string, display: string, outputStem: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    inputs.push({ path, display, outputStem });
  };
  for (const arg of args) {
    if (hasGlob(arg)) {
      const parts = arg.split(/[\\/]/);
      const fixed: string[] = [];
      while (parts.length > 1 && !hasGlob(parts[0]!)) fixed.push(parts.shift()!);
      const root = resolve(fixed.length === 0 ? '.' : fixed.join(sep) || sep);
      const pattern = globRegExp(parts.join('/'));
      const files = (await walk(root).catch(() => [] as string[]))
        .filter((f) => pattern.test(relative(root, f).split(sep).join('/')))
        .sort();
      if (files.length === 0)
        throw new CliError(
          'CLI_NO_AUDIO',
          `No file matches ${arg}. Check the pattern (quote it so the shell does not expand it first).`,
        );
      for (const file of files)
        add(file, isAbsolute(arg) ? file : relative(process.cwd(), file), stemOf(relative(root, file)));
      continue;
    }
    const path = resolve(arg);
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory()) {
      const files = (await walk(path)).filter((f) => audioFormatOfExtension(extname(f)) !== undefined).sort();
      if (files.length === 0) throw new CliError('CLI_NO_AUDIO', `No .wav or .flac file under ${arg}.`);
      for (const file of files) add(file, join(arg, relative(path, file)), stemOf(relative(path, file)));
      continue;
    }
    // A missing or unreadable file is reported when it is transcribed, with the others still done.
    add(path, arg, stemOf(basename(path)));
  }
  return inputs;
}

/**
 * @param outDir - Output directory.
 * @param input - The input.
 * @param extension - Output extension without the dot.
 * @returns The output path (the input's stem below `outDir`).
 */
export function outputPath(outDir: string, input: AudioInput, extension: string): string {
  return join(outDir, dirname(input.outputStem), `${basename(input.outputStem)}.${extension}`);
}

/**
 * Checks that no two inputs would write the same output file under `outDir` (`a/x.wav` and
 * `b/x.wav` given as files, or `x.wav` and `x.flac`): one transcript would silently replace the other.
 * @param outDir - Output directory.
 * @param inputs - The expanded inputs.
 * @param extension - Output extension without the dot.
 * @throws CliError `CLI_USAGE` naming both inputs and the shared output file.
 */
export function assertDistinctOutputs(outDir: string, inputs: readonly AudioInput[], extension: string): void {
  const owners = new Map<string, AudioInput>();
  for (const input of inputs) {
    const path = outputPath(outDir, input, extension);
    const first = owners.get(path);
    if (first) {
      throw new CliError(
        'CLI_USAGE',
        `--out-dir: ${first.display} and ${input.display} would both be written to ${path}, and one transcript would replace the other. ` +
          'Pass the folder that holds them instead (directory inputs keep their subfolders under --out-dir), or transcribe them into different --out-dir folders.',
      );
    }
    owners.set(path, input);
  }
}
