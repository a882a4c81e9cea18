import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Argument, Command, Option } from 'commander';

/** Escapes text for a Markdown table cell (and for VitePress, which reads Markdown as Vue templates). */
export function cell(text: string): string {
  return escapeInline(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Escapes characters Vue or Markdown would interpret in running text. */
export function escapeInline(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\{\{/g, '&#123;&#123;');
}

function code(text: string): string {
  // Inside inline code Vue interpolation still runs in VitePress unless v-pre; `{{` never occurs in flags.
  return `\`${text}\``;
}

function formatDefault(value: unknown, description?: string): string {
  if (description) return cell(description);
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.length === 0 ? '' : code(value.join(' '));
  if (typeof value === 'string' && /^(\/|[A-Za-z]:\\)/.test(value)) return '*(a bundled file)*';
  return code(typeof value === 'string' ? value : JSON.stringify(value));
}

/** The full command path, e.g. `asrq lm build`. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function argumentLabel(arg: Argument): string {
  const name = `${arg.name()}${arg.variadic ? '...' : ''}`;
  return arg.required ? `<${name}>` : `[${name}]`;
}

function usageLine(command: Command): string {
  const parts = [commandPath(command)];
  if (command.options.length > 0) parts.push('[options]');
  if (command.commands.length > 0) parts.push('<command>');
  for (const arg of command.registeredArguments) parts.push(argumentLabel(arg));
  return parts.join(' ');
}

function optionRows(options: readonly Option[]): string[] {
  const rows = ['| option | description | default |', '|---|---|---|'];
  for (const option of options) {
    const notes: string[] = [];
    if (option.mandatory) notes.push('**required**');
    if (option.argChoices) notes.push(`one of ${option.argChoices.map(code).join(', ')}`);
    if (option.envVar) notes.push(`env ${code(option.envVar)}`);
    const description = [cell(option.description), ...notes].filter(Boolean).join(' — ');
    rows.push(
      `| ${code(option.flags)} | ${description} | ${formatDefault(option.defaultValue, option.defaultValueDescription)} |`,
    );
  }
  return rows;
}

function anchorOf(command: Command): string {
  return commandPath(command).replace(/\s+/g, '-').toLowerCase();
}

/** The subcommands `--help` lists: hidden ones (internal commands) are left out of the reference too. */
function visibleCommands(command: Command): Command[] {
  const listed = new Set(command.createHelp().visibleCommands(command));
  return command.commands.filter((c) => listed.has(c));
}

function renderCommand(command: Command, level: number, out: string[]): void {
  const heading = '#'.repeat(Math.min(level, 6));
  out.push(`${heading} ${commandPath(command)} {#${anchorOf(command)}}`, '');
  if (command.description()) out.push(escapeInline(command.description()), '');
  out.push('```sh', usageLine(command), '```', '');
  if (command.registeredArguments.length > 0) {
    out.push('| argument | description | default |', '|---|---|---|');
    for (const arg of command.registeredArguments)
      out.push(
        `| ${code(argumentLabel(arg))} | ${cell(arg.description ?? '')} | ${formatDefault(arg.defaultValue, arg.defaultValueDescription)} |`,
      );
    out.push('');
  }
  const options = command.options.filter((o) => !o.hidden);
  if (options.length > 0) out.push(...optionRows(options), '');
  const subcommands = visibleCommands(command);
  if (subcommands.length > 0) {
    out.push(`Subcommands: ${subcommands.map((c) => `[${c.name()}](#${anchorOf(c)})`).join(', ')}.`, '');
    for (const sub of subcommands) renderCommand(sub, level + 1, out);
  }
}

/** One error code of an asrq package, as `errorCodeDocs()` in `apps/cli/src/exit-codes.ts` lists it. */
export interface ErrorCodeDoc {
  /** The code, e.g. `AUDIO_EMPTY`. */
  code: string;
  /** The package that throws it (`asrq` for the CLI). */
  package: string;
  /** The process exit code it maps to. */
  exitCode: number;
  /** When it is thrown. */
  summary: string;
}

/** One exit code with its meaning, from the CLI's `exitCodeDocs`. */
export interface ExitCodeDoc {
  name: string;
  value: number;
  meaning: string;
  /** The error codes that exit with this code (rendered as one table of all codes after the exit codes). */
  errorCodes?: readonly ErrorCodeDoc[];
}

/**
 * Joins the CLI's exit codes with the packages' error codes: each exit code gets the error codes
 * that map to it.
 * @param exitCodes - The CLI's `exitCodeDocs`.
 * @param errorCodes - The CLI's `errorCodeDocs()`.
 * @returns The exit codes in their order, each with its error codes.
 */
export function withErrorCodes(exitCodes: readonly ExitCodeDoc[], errorCodes: readonly ErrorCodeDoc[]): ExitCodeDoc[] {
  return exitCodes.map((e) => ({ ...e, errorCodes: errorCodes.filter((c) => c.exitCode === e.value) }));
}

function renderExitCodes(exitCodes: readonly ExitCodeDoc[], out: string[]): void {
  out.push('## Exit codes {#exit-codes}', '', '| code | name | meaning |', '|---|---|---|');
  for (const e of exitCodes) out.push(`| ${e.value} | ${code(e.name)} | ${cell(e.meaning)} |`);
  out.push('');
  const errorCodes = exitCodes
    .flatMap((e) => e.errorCodes ?? [])
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  if (errorCodes.length === 0) return;
  out.push(
    '### Error codes {#error-codes}',
    '',
    'Every error asrq throws on purpose carries one of these codes (`error.code` for API users; each package throws its own `AsrqError` subclass), and the CLI exit code follows from the code. Each package declares its codes in its `src/errors.ts`, from which this table is generated.',
    '',
    '| error code | exit code | package | meaning |',
    '|---|---|---|---|',
  );
  for (const c of errorCodes) out.push(`| ${code(c.code)} | ${c.exitCode} | ${code(c.package)} | ${cell(c.summary)} |`);
  out.push('');
}

/**
 * Renders the whole CLI reference as Markdown by walking the commander program: every command
 * and subcommand with its description, arguments and options (flags, description, default).
 * @param program - The program `createProgram()` returns.
 * @param exitCodes - Exit codes to list at the end, each with its error codes.
 * @returns Markdown text.
 */
export function renderCliReference(program: Command, exitCodes: readonly ExitCodeDoc[] = []): string {
  const out: string[] = [
    '---',
    'outline: [2, 3]',
    '---',
    '',
    '# CLI reference',
    '',
    '::: info Generated',
    'This page is generated at build time from the option definitions of `apps/cli` (`createProgram()`), so it always matches the `asrq` binary it was built with.',
    ':::',
    '',
    escapeInline(program.description()),
    '',
    '```sh',
    `${program.name()} [options] <command>`,
    '```',
    '',
  ];
  const globalOptions = program.options.filter((o) => !o.hidden);
  if (globalOptions.length > 0) out.push(...optionRows(globalOptions), '');
  const commands = visibleCommands(program);
  out.push(`Commands: ${commands.map((c) => `[${c.name()}](#${anchorOf(c)})`).join(', ')}.`, '');
  for (const command of commands) renderCommand(command, 2, out);
  if (exitCodes.length > 0) renderExitCodes(exitCodes, out);
  return `${out.join('\n')}\n`;
}

/** Loads the CLI program, its exit codes and the packages' error codes from the CLI's TypeScript sources. */
export async function loadCli(cliRoot: string): Promise<{ program: Command; exitCodes: ExitCodeDoc[] }> {
  const { createProgram } = (await import(pathToFileURL(join(cliRoot, 'src', 'program.ts')).href)) as {
    createProgram: () => Command;
  };
  const { exitCodeDocs, errorCodeDocs } = (await import(pathToFileURL(join(cliRoot, 'src', 'exit-codes.ts')).href)) as {
    exitCodeDocs: readonly ExitCodeDoc[];
    errorCodeDocs: () => ErrorCodeDoc[];
  };
  return { program: createProgram(), exitCodes: withErrorCodes(exitCodeDocs, errorCodeDocs()) };
}
