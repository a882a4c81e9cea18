#!/usr/bin/env node
// Codemod: every `new AsrqError(` in a package's src (outside @asrq/core) becomes the package's own
// error subclass (declared in its src/errors.ts), or, when the code is a literal owned by another
// package's table (e.g. runtime throwing ctc's `LM_BAD_ARPA`), that package's subclass. Imports are
// fixed up: the subclass is imported (relative './errors.js' for the package's own, the package name
// for another's) and `AsrqError` is dropped from the `@asrq/core` import when no longer used. A bare
// code passed to a core helper that throws on the caller's behalf (readJsonl, parseStructuredText,
// lockDirectory's `code:`) becomes `errorCode(XError, 'CODE')`, so the helper throws the subclass.
//
// Idempotent; run it again after merging code that still constructs the base class:
//   node scripts/codemods/typed-errors.mjs          (rewrite files)
//   node scripts/codemods/typed-errors.mjs --check  (list what would change, exit 1 if anything)
//
// A construction that must stay the base class (a code known only at run time, e.g. revived from
// a worker process) carries the comment `typed-errors: keep AsrqError` on the line above.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const KEEP = 'typed-errors: keep AsrqError';

/** Every package with a src/errors.ts declaring `class XError extends AsrqError<...>` and its code table. */
export function loadErrorPackages(repoRoot = root) {
  const packages = [];
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(repoRoot, group))) {
      const dir = join(repoRoot, group, name);
      const errorsFile = join(dir, 'src', 'errors.ts');
      if (!existsSync(errorsFile) || name === 'core') continue;
      const source = readFileSync(errorsFile, 'utf8');
      const className = /export class (\w+) extends AsrqError</.exec(source)?.[1];
      if (!className) continue;
      const table = /export const \w+ = \{([\s\S]*?)\} as const satisfies ErrorCodeTable/.exec(source)?.[1] ?? '';
      const codes = [...table.matchAll(/^\s+([A-Z][A-Z0-9_]*):\s*\{/gm)].map((m) => m[1]);
      const pkgName = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name;
      packages.push({ dir, srcDir: join(dir, 'src'), errorsFile, className, codes, pkgName });
    }
  }
  packages.push({
    dir: join(repoRoot, 'packages', 'core'),
    srcDir: join(repoRoot, 'packages', 'core', 'src'),
    className: 'CoreError',
    codes: ['ABORTED', 'DIR_LOCKED', 'JOURNAL_BROKEN'],
    pkgName: '@asrq/core',
    core: true,
  });
  return packages;
}

function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The string literal first argument at `index` (just after `new X(`), or undefined. */
function literalCodeAt(text, index) {
  return /^\s*'([A-Z][A-Z0-9_]*)'/.exec(text.slice(index))?.[1];
}

const IMPORT = /import\s+(type\s+)?\{([^}]*)\}\s*from\s*'([^']+)';?/g;

function addNamedImport(text, specifier, name) {
  for (const m of text.matchAll(IMPORT)) {
    if (m[1] || m[3] !== specifier) continue;
    const names = m[2]
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (names.includes(name)) return text;
    // Insert among the value names in case-insensitive order, before the `type` names, leaving the rest as written.
    let at = names.findIndex((n) => n.startsWith('type ') || n.toLowerCase() > name.toLowerCase());
    if (at < 0) at = names.length;
    names.splice(at, 0, name);
    const replaced = `import { ${names.join(', ')} } from '${specifier}';`;
    return text.slice(0, m.index) + replaced + text.slice(m.index + m[0].length);
  }
  const imports = [...text.matchAll(/^import [\s\S]*?from '([^']+)';?$/gm)];
  const line = `import { ${name} } from '${specifier}';`;
  // A package import goes before the first relative one; a relative one after the last import.
  const firstRelative = specifier.startsWith('.') ? undefined : imports.find((m) => m[1].startsWith('.'));
  if (firstRelative) return `${text.slice(0, firstRelative.index)}${line}\n${text.slice(firstRelative.index)}`;
  const at = imports.length > 0 ? imports.at(-1).index + imports.at(-1)[0].length : 0;
  return at === 0 ? `${line}\n${text}` : `${text.slice(0, at)}\n${line}${text.slice(at)}`;
}

function dropUnusedAsrqError(text) {
  for (const m of text.matchAll(IMPORT)) {
    if (m[3] !== '@asrq/core') continue;
    const rest = text.slice(0, m.index) + text.slice(m.index + m[0].length);
    // Used in code, or in a TSDoc {@link AsrqError} that needs the name in scope.
    const code = rest
      .replace(/\/\*[\s\S]*?\*\//g, (comment) => (comment.includes('{@link AsrqError') ? 'AsrqError' : ''))
      .replace(/^\s*\/\/.*$/gm, '');
    if (/\bAsrqError\b/.test(code)) return text;
    const names = m[2]
      .split(',')
      .map((s) => s.trim())
      .filter((n) => n && n !== 'AsrqError' && n !== 'type AsrqError');
    const replaced = names.length === 0 ? '' : `import ${m[1] ?? ''}{ ${names.join(', ')} } from '@asrq/core';`;
    const end =
      names.length === 0 && text[m.index + m[0].length] === '\n' ? m.index + m[0].length + 1 : m.index + m[0].length;
    return text.slice(0, m.index) + replaced + text.slice(end);
  }
  return text;
}

// Core helpers that throw on a caller's behalf take the code as their argument; a bare code there
// becomes `errorCode(XError, 'CODE')` so the helper throws the owning package's subclass.
const HELPER_CODE = [
  /\b(?:readJsonl|parseStructuredText)\([^;]*?(?<!errorCode\(\w+, )'([A-Z][A-Z0-9_]*)'/g,
  /\blockDirectory\([^;]*?\bcode: '([A-Z][A-Z0-9_]*)'/g,
];

function bindHelperCodes(text, own, owners, needed, changes) {
  let result = text;
  for (const pattern of HELPER_CODE) {
    result = result.replace(pattern, (match, code, offset) => {
      const owner = owners.get(code) ?? own;
      if (owner.core) return match;
      needed.set(owner.className, owner);
      changes.push({
        line: result.slice(0, offset).split('\n').length,
        code,
        className: `errorCode(${owner.className})`,
      });
      const at = match.lastIndexOf(`'${code}'`);
      return `${match.slice(0, at)}errorCode(${owner.className}, '${code}')${match.slice(at + code.length + 2)}`;
    });
  }
  return result;
}

/** Rewrites one file's text; returns the new text and the constructions it changed. */
export function rewrite(text, file, own, packages) {
  const owners = new Map();
  for (const p of packages) for (const code of p.codes) owners.set(code, p);
  const changes = [];
  const needed = new Map();
  const out = text.replace(/new AsrqError\(/g, (match, offset) => {
    const lineStart = text.lastIndexOf('\n', offset - 1);
    const previousLine = text.slice(text.lastIndexOf('\n', lineStart - 1) + 1, lineStart);
    if (previousLine.includes(KEEP) || text.slice(lineStart, offset).includes(KEEP)) return match;
    const code = literalCodeAt(text, offset + match.length);
    const owner = code !== undefined && owners.has(code) && owners.get(code) !== own ? owners.get(code) : own;
    needed.set(owner.className, owner);
    changes.push({
      line: text.slice(0, offset).split('\n').length,
      code: code ?? '(computed)',
      className: owner.className,
    });
    return `new ${owner.className}(`;
  });
  const bound = bindHelperCodes(out, own, owners, needed, changes);
  if (changes.length === 0) {
    // A conversion made by an earlier run may have left the import unused.
    const cleaned = own.core ? text : dropUnusedAsrqError(text);
    if (cleaned !== text) changes.push({ line: 1, code: '(import)', className: 'unused AsrqError import removed' });
    return { text: cleaned, changes };
  }
  let result = bound;
  if (bound !== out) result = addNamedImport(result, '@asrq/core', 'errorCode');
  for (const [className, owner] of needed) {
    let specifier = owner.pkgName;
    if (owner === own) {
      specifier = relative(dirname(file), own.errorsFile).split(sep).join('/').replace(/\.ts$/, '.js');
      if (!specifier.startsWith('.')) specifier = `./${specifier}`;
    } else {
      const sub = [...result.matchAll(IMPORT)].find((m) => !m[1] && m[3].startsWith(`${owner.pkgName}/`));
      if (sub) specifier = sub[3];
    }
    result = addNamedImport(result, specifier, className);
  }
  return { text: dropUnusedAsrqError(result), changes };
}

function main() {
  const check = process.argv.includes('--check');
  const packages = loadErrorPackages();
  let total = 0;
  for (const own of packages) {
    if (own.core) continue;
    for (const file of sourceFiles(own.srcDir)) {
      if (file === own.errorsFile) continue;
      const text = readFileSync(file, 'utf8');
      const { text: next, changes } = rewrite(text, file, own, packages);
      if (changes.length === 0) continue;
      total += changes.length;
      for (const c of changes) console.log(`${relative(root, file)}:${c.line}: ${c.code} -> ${c.className}`);
      if (!check) writeFileSync(file, next);
    }
  }
  console.log(`${total} site(s) ${check ? 'to convert' : 'converted'}.`);
  if (check && total > 0) process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
