import { parse as parseYaml } from 'yaml';
import { createError, type ErrorCodeSpec } from './error-spec.js';

/**
 * Parses a configuration file's text: JSON when the name ends in `.json` (errors at
 * `name:line:column`), YAML otherwise (JSON is valid YAML too). A UTF-8 BOM is ignored and the
 * YAML parser's warnings are not printed (libraries never print).
 *
 * @param text - File contents.
 * @param name - File path, for the format choice and messages.
 * @param code - Error code to throw with, bare (a plain AsrqError) or bound to the caller's subclass,
 *   e.g. `errorCode(QuantizeError, 'QUANT_BAD_PLAN')`.
 * @param hint - What to do, appended to the message.
 * @returns The parsed value.
 * @throws AsrqError with `code`, located at `name:line:column` when the parser says where.
 * @example
 * ```ts no-run
 * const value = parseStructuredText(await readFile('plan.yaml', 'utf8'), 'plan.yaml', 'QUANT_BAD_PLAN');
 * ```
 */
export function parseStructuredText(
  text: string,
  name: string,
  code: string | ErrorCodeSpec,
  hint = 'Fix the syntax at that line and column.',
): unknown {
  const body = text.replace(/^\uFEFF/u, '');
  const json = /\.json$/iu.test(name);
  try {
    return json ? JSON.parse(body) : parseYaml(body, { logLevel: 'error' });
  } catch (cause) {
    const message = (cause as Error).message.split('\n')[0];
    const where = json ? jsonErrorLocation(body, (cause as Error).message) : yamlErrorLocation(cause);
    const location = where ? `${name}:${where.line}:${where.column}` : name;
    throw createError(code, `${location}: not valid ${json ? 'JSON' : 'JSON or YAML'}: ${message}. ${hint}`, {
      cause,
      location,
    });
  }
}

function yamlErrorLocation(cause: unknown): { line: number; column: number } | undefined {
  const pos = (cause as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
  return pos ? { line: pos.line, column: pos.col } : undefined;
}

/** Line and column (1-based) of a JSON.parse error, from the position V8 puts in its message. */
function jsonErrorLocation(text: string, message: string): { line: number; column: number } | undefined {
  const lineColumn = /line (\d+) column (\d+)/u.exec(message);
  if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  const position = /at position (\d+)/u.exec(message);
  // Without a position the error is at the end of the text ("Unexpected end of JSON input").
  const offset = position ? Math.min(Number(position[1]), text.length) : text.length;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
