import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
    // Two-core machines: model-running tests are CPU bound, more workers only thrash.
    maxWorkers: 2,
  },
});
