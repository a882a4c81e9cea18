import { defineConfig, type UserConfig } from 'tsdown';

/**
 * The build every asrq library shares: ESM with .d.ts for Node 20, `.js` extensions (the
 * packages are "type": "module").
 * @param entry - Entry points, one per sub-path export (an object maps output names to sources, e.g. a
 *   worker script that must sit at the root of dist/).
 * @param overrides - Anything a package needs different.
 */
export function libraryConfig(entry: string[] | Record<string, string>, overrides: UserConfig = {}) {
  return defineConfig({
    entry,
    format: 'esm',
    dts: true,
    platform: 'node',
    target: 'node20',
    clean: true,
    fixedExtension: false,
    ...overrides,
  });
}
