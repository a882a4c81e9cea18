import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CoreError } from './core-errors.js';
import { errorCode } from './error-spec.js';
import { checkWritableDir, checkWritableFile } from './writable-dir.js';
import { useTempDirs } from '@asrq/test-temp';

const { tempDir } = useTempDirs();

const code = errorCode(CoreError, 'DIR_LOCKED');

describe('checkWritableDir', () => {
  it('creates a missing folder and leaves nothing behind in it', async () => {
    const dir = join(await tempDir('asrq-writable-'), 'a', 'b');
    await checkWritableDir(dir, { what: '--out', code });
    expect(await readdir(dir)).toEqual([]);
  });

  it('names the flag, the folder and the reason when a file is in the way', async () => {
    const root = await tempDir('asrq-writable-');
    await writeFile(join(root, 'file'), 'x');
    for (const dir of [join(root, 'file'), join(root, 'file', 'sub')])
      await expect(checkWritableDir(dir, { what: '--out', code })).rejects.toMatchObject({
        code: 'DIR_LOCKED',
        message: expect.stringMatching(/^--out .*: cannot write there \((ENOTDIR|EEXIST)\); a file is in the way/),
      });
    await expect(checkWritableFile(root, { what: '-o', code })).rejects.toThrow(/-o .* is a folder/);
  });

  it.runIf(process.getuid?.() !== 0)('says a read-only folder may not be written', async () => {
    const dir = await tempDir('asrq-writable-');
    await mkdir(join(dir, 'ro'));
    await chmod(join(dir, 'ro'), 0o555);
    await expect(checkWritableDir(join(dir, 'ro'), { what: '--to', code })).rejects.toThrow(
      /cannot write there \(EACCES\); you may not write there/,
    );
  });
});
