import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { errorCodeTables } from '../src/exit-codes.js';

// Keeps the typed-error conventions true in every package's src (outside @asrq/core): nothing
// constructs the base AsrqError (scripts/codemods/typed-errors.mjs converts such sites), each
// package throws its own subclass (or, for a code another package owns, that package's), and
// every error-code literal is declared in a code table.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const codemod = join(root, 'scripts', 'codemods', 'typed-errors.mjs');
// Codes of warnings (returned, never thrown), so in no error table.
const WARNING_CODES = new Set(['METRICS_EMPTY_REFERENCE', 'METRICS_EMPTY_REFERENCES', 'METRICS_CASE_MISMATCH']);

interface PackageSource {
  dir: string;
  name: string;
  dependencies: string[];
  files: string[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function packageSources(): PackageSource[] {
  const dirs = ['packages', 'apps'].flatMap((group) =>
    readdirSync(join(root, group)).map((name) => join(root, group, name)),
  );
  return dirs
    .filter(
      (dir) =>
        statSync(join(dir, 'src'), { throwIfNoEntry: false })?.isDirectory() && !dir.endsWith(join('packages', 'core')),
    )
    .map((dir) => {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name: string;
        dependencies?: Record<string, string>;
      };
      return {
        dir,
        name: manifest.name,
        dependencies: Object.keys(manifest.dependencies ?? {}),
        files: sourceFiles(join(dir, 'src')),
      };
    });
}

const classPackage = new Map(errorCodeTables.map((t) => [t.errorClass.name, t.package]));
const codeOwner = new Map(
  errorCodeTables.flatMap((t) => Object.keys(t.codes).map((code) => [code, t.errorClass.name] as const)),
);
const prefixes = new Set([...codeOwner.keys()].map((code) => code.split('_')[0]!));

/** Every `new XError(` of an asrq error class in `text`, with the literal code when there is one. */
function constructions(text: string): { className: string; code?: string; line: number }[] {
  return [...text.matchAll(/new (\w+Error)\(\s*(?:'([A-Z][A-Z0-9_]*)')?/g)]
    .filter((m) => m[1] === 'AsrqError' || classPackage.has(m[1]!))
    .map((m) => ({
      className: m[1]!,
      ...(m[2] ? { code: m[2] } : {}),
      line: text.slice(0, m.index).split('\n').length,
    }));
}

describe('typed errors in package sources', () => {
  it('the codemod finds nothing left to convert (base AsrqError constructions, bare codes passed to core helpers)', () => {
    const output = execFileSync(process.execPath, [codemod, '--check'], { cwd: root, encoding: 'utf8' });
    expect(output.trim()).toBe('0 site(s) to convert.');
  });

  it('each package throws its own subclass, or the owning dependency subclass, with a code of its table', () => {
    const problems: string[] = [];
    for (const pkg of packageSources()) {
      for (const file of pkg.files) {
        const text = readFileSync(file, 'utf8');
        for (const c of constructions(text)) {
          const where = `${relative(root, file)}:${c.line}`;
          const owner = classPackage.get(c.className);
          const keep = text.split('\n')[c.line - 2]?.includes('typed-errors: keep AsrqError') ?? false;
          if (c.className === 'AsrqError' && !keep) problems.push(`${where}: constructs the base AsrqError`);
          else if (owner && owner !== pkg.name && !pkg.dependencies.includes(owner))
            problems.push(`${where}: ${c.className} belongs to ${owner}, not a dependency of ${pkg.name}`);
          if (c.code && c.className !== 'AsrqError' && codeOwner.get(c.code) !== c.className)
            problems.push(`${where}: ${c.code} is not in the table of ${c.className}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('every error-code literal in package sources is declared in a table', () => {
    const problems: string[] = [];
    for (const pkg of packageSources()) {
      for (const file of pkg.files) {
        const text = readFileSync(file, 'utf8');
        for (const m of text.matchAll(/'([A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9]|ABORTED)'/g)) {
          const code = m[1]!;
          if (!prefixes.has(code.split('_')[0]!) || codeOwner.has(code) || WARNING_CODES.has(code)) continue;
          problems.push(
            `${relative(root, file)}:${text.slice(0, m.index).split('\n').length}: ${code} is in no error code table`,
          );
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('finds a base construction and a misspelt code when there is one', () => {
    expect(constructions("throw new AsrqError('X', 'y');\nthrow new AudioError(\n  'AUDIO_EMTPY', 'z');")).toEqual([
      { className: 'AsrqError', code: 'X', line: 1 },
      { className: 'AudioError', code: 'AUDIO_EMTPY', line: 2 },
    ]);
    expect(codeOwner.get('AUDIO_EMTPY')).toBeUndefined();
  });
});
