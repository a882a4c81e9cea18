import { asrqProject } from '../../vitest.shared.js';

// The site build (TypeDoc + VitePress) takes a while on two cores: one build is shared by the tests.
export default asrqProject('docs', { testTimeout: 300_000, hookTimeout: 300_000 });
