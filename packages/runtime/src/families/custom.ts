import type { ModelFamily } from './family.js';

/**
 * Feature-input models no family claims (no metadata or companion file asrq knows): they run
 * when the front end is named (`--frontend` and `--frontend-config`, or `overrides.frontEnd`).
 */
export const customFamily: ModelFamily = {
  name: 'custom',
  description: 'feature-input models no family claims: the front end comes from --frontend / --frontend-config',
  kind: 'features',
  fallback: true,
  detect: () => 'takes features and no family claims it',
};
