import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openJsonlAppender } from './jsonl.js';

const work = mkdtempSync(join(tmpdir(), 'asrq-jsonl-dir-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('openJsonlAppender', () => {
  it('creates the directory of a new journal, as writeFileAtomic does', async () => {
    const path = join(work, 'out', 'nested', 'results.jsonl');
    const journal = await openJsonlAppender(path);
    await journal.append({ id: 'utt-1' });
    await journal.close();
    expect(readFileSync(path, 'utf8')).toBe('{"id":"utt-1"}\n');
  });
});
