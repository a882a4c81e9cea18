import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { errorCodeTables } from '../src/exit-codes.js';
import { readmeErrorProblems, readmeOf, renderErrorCodes } from '../../../scripts/readme-errors.js';

describe('error codes in the package READMEs', () => {
  it('list every code of each package table, as `pnpm readme:errors` writes them', () => {
    expect(readmeErrorProblems()).toEqual([]);
  });

  it('would notice a code missing from a README', () => {
    const runtime = errorCodeTables.find((t) => t.package === '@asrq/runtime')!;
    const text = readFileSync(readmeOf('@asrq/runtime'), 'utf8');
    for (const code of Object.keys(runtime.codes)) expect(text).toContain(`| \`${code}\` |`);
    const withExtra = { ...runtime, codes: { ...runtime.codes, RUNTIME_NEW_CODE: { exit: 'model', summary: 'x.' } } };
    expect(text).not.toContain(renderErrorCodes(withExtra as typeof runtime));
  });
});

describe('published READMEs', () => {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const published = JSON.parse(readFileSync(join(root, '.changeset', 'config.json'), 'utf8')).fixed[0] as string[];

  it('point at no path that exists only on the development machines (../shared, /tmp, wheel folders)', () => {
    const machinePath = /\.\.\/shared\/|(?<![\w.])\/(?:tmp|opt|work|root)\/|--find-links|\.whl\b/;
    const offenders = published.flatMap((pkg) =>
      readFileSync(readmeOf(pkg), 'utf8')
        .split('\n')
        .map((line, i) => `${readmeOf(pkg).slice(root.length)}:${i + 1}: ${line}`)
        .filter((line) => machinePath.test(line.slice(line.indexOf(': ') + 2))),
    );
    expect(offenders).toEqual([]);
  });
});
