import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockDirectory, type StaleLockNote } from './dir-lock.js';

const work = mkdtempSync(join(tmpdir(), 'asrq-core-lock-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('lockDirectory', () => {
  it('holds one lock at a time and removes the lock and the directory it created on release', async () => {
    const dir = join(work, 'fresh', 'out');
    const lock = await lockDirectory(dir, { code: 'TEST_LOCKED', what: '--out' });
    expect(lock.owner).toMatchObject({ pid: process.pid, hostname: hostname() });
    await expect(lockDirectory(dir, { code: 'TEST_LOCKED', what: '--out' })).rejects.toMatchObject({
      code: 'TEST_LOCKED',
      message: expect.stringContaining(`in use by process ${process.pid} on ${hostname()}`),
    });
    await expect(lockDirectory(dir, { code: 'TEST_LOCKED', argument: 'outDir' })).rejects.toMatchObject({
      message: expect.stringContaining('or use another `outDir`.'),
      argumentNames: ['outDir'],
    });
    await lock.release();
    await lock.release();
    expect(existsSync(dir)).toBe(false);
  });

  it('judges an unreadable lock file by its age: young means being written, old means stale', async () => {
    const dir = join(work, 'torn');
    mkdirSync(dir);
    const path = join(dir, '.asrq.lock');
    writeFileSync(path, '{"pid": 12');
    await expect(lockDirectory(dir)).rejects.toMatchObject({
      code: 'DIR_LOCKED',
      message: expect.stringContaining('starting right now'),
    });
    const old = new Date(Date.now() - 60_000);
    utimesSync(path, old, old);
    const notes: StaleLockNote[] = [];
    const lock = await lockDirectory(dir, { onStale: (n) => notes.push(n) });
    expect(notes).toEqual([{ status: 'stale-lock', path, previous: undefined }]);
    await lock.release();
    expect(existsSync(path)).toBe(false);
    expect(existsSync(dir)).toBe(true); // it was there before the lock
  });
});
