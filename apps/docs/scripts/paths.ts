import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** apps/docs, the VitePress project root. */
export const docsRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The monorepo root. */
export const repoRoot = join(docsRoot, '..', '..');
