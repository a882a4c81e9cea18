import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AsrqError, seededRandom, seededSample } from './index.js';
import { writeFileAtomic } from './node.js';
import { useTempDirs } from '@asrq/test-temp';

const { tempDir } = useTempDirs();

describe('AsrqError', () => {
  it('carries a stable code and is recognised by isInstance', () => {
    const error = new AsrqError('X_BAD', 'bad', { location: 'a.txt:3' });
    expect(error.code).toBe('X_BAD');
    expect(error.location).toBe('a.txt:3');
    expect(AsrqError.isInstance(error)).toBe(true);
    expect(AsrqError.isInstance(new Error('x'))).toBe(false);
  });
});

describe('seeded sampling', () => {
  it('is reproducible and seed dependent', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const sa = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(sa);
    expect([c(), c(), c()]).not.toEqual(sa);
  });

  it('picks n distinct items in original order', () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const picked = seededSample(items, 10, 42);
    expect(picked).toHaveLength(10);
    expect(new Set(picked).size).toBe(10);
    expect([...picked].sort((x, y) => x - y)).toEqual(picked);
    expect(seededSample(items, 10, 42)).toEqual(picked);
    expect(seededSample(items, 500, 1)).toEqual(items);
  });
});

describe('writeFileAtomic', () => {
  it('writes the file and leaves no temporary behind', async () => {
    const dir = await tempDir('asrq-core-');
    const target = join(dir, 'sub', 'out.json');
    await writeFileAtomic(target, '{"a":1}');
    await writeFileAtomic(target, '{"a":2}');
    expect(await readFile(target, 'utf8')).toBe('{"a":2}');
    expect(await readdir(join(dir, 'sub'))).toEqual(['out.json']);
  });
});

describe('JSON-lines journals', () => {
  it('drops a torn last line and appends after the last good one', async () => {
    const { openJsonlAppender, readJsonl } = await import('./node.js');
    const { appendFile, writeFile } = await import('node:fs/promises');
    const dir = await tempDir('asrq-jsonl-');
    const path = join(dir, 'j.jsonl');
    expect((await readJsonl(path)).exists).toBe(false);
    await writeFile(path, '{"a":1}\n{"a":2}\n');
    await appendFile(path, '{"a":3,"tor');
    const torn = await readJsonl(path);
    expect(torn.entries).toEqual([{ a: 1 }, { a: 2 }]);
    const writer = await openJsonlAppender(path, torn);
    await writer.append({ a: 4 });
    await writer.close();
    expect(await readFile(path, 'utf8')).toBe('{"a":1}\n{"a":2}\n{"a":4}\n');
    expect((await readJsonl(path)).entries).toEqual([{ a: 1 }, { a: 2 }, { a: 4 }]);
  });

  it('terminates a complete last line that lacks its newline', async () => {
    const { openJsonlAppender, readJsonl } = await import('./node.js');
    const { writeFile } = await import('node:fs/promises');
    const dir = await tempDir('asrq-jsonl-');
    const path = join(dir, 'j.jsonl');
    await writeFile(path, '{"a":1}');
    const writer = await openJsonlAppender(path, await readJsonl(path));
    await writer.append({ a: 2 });
    await writer.close();
    expect((await readJsonl(path)).entries).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('names a broken line in the middle', async () => {
    const { readJsonl } = await import('./node.js');
    const { writeFile } = await import('node:fs/promises');
    const dir = await tempDir('asrq-jsonl-');
    const path = join(dir, 'j.jsonl');
    await writeFile(path, '{"a":1}\nnot json\n{"a":2}\n');
    await expect(readJsonl(path, 'X_BAD')).rejects.toMatchObject({
      code: 'X_BAD',
      message: expect.stringContaining('j.jsonl:2'),
    });
  });
});
