import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** Makers of temporary folders; every folder they make is removed after the test file's tests. */
export interface TempDirs {
  /** A new empty folder under the OS temp folder, named `prefix` + random characters. */
  tempDir(prefix: string): Promise<string>;
  /** {@link TempDirs.tempDir}, synchronous. */
  tempDirSync(prefix: string): string;
}

/**
 * Temporary folders for one test file: call it at the file's top level (it registers an
 * `afterAll` that removes every folder made through it, also when a test failed).
 * @returns The makers.
 * @example
 * ```ts
 * const { tempDir } = useTempDirs();
 * it('writes', async () => { const dir = await tempDir('asrq-x-'); ... });
 * ```
 */
export function useTempDirs(): TempDirs {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
  return {
    async tempDir(prefix) {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    tempDirSync(prefix) {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
  };
}
