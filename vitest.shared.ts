import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

/** Resolve workspace packages to their TypeScript sources, so tests never need a build. */
const sourceConditions = ['@asrq/source', 'module', 'node', 'import', 'default'];

/**
 * The vitest project settings every package shares.
 * @param name - Project name shown in vitest output.
 * @param overrides - Extra test options (timeouts, setup files).
 */
export function asrqProject(name: string, overrides: UserWorkspaceConfig['test'] = {}) {
  return defineProject({
    resolve: { conditions: sourceConditions },
    ssr: { resolve: { conditions: sourceConditions, externalConditions: ['@asrq/source'] } },
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
      testTimeout: 60_000,
      hookTimeout: 120_000,
      ...overrides,
    },
  });
}
