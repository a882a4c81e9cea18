import { defineConfig, type UserConfig } from 'tsdown';

/**
 * The build every asrq library shares: ESM with .d.ts for Node 20, `.js` extensions (the
 * packages are "type": "module").
 * @param entry - Entry points, one per sub-path export.
 * @param overrides - Anything a package needs different.
 */
export function libraryConfig(entry: string[], overrides: UserConfig = {}) {
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
