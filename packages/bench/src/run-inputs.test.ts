import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CorpusItem } from '@asrq/audio';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprintFile, sameContents } from './fingerprint.js';
import { assertSameInputs, fingerprintInputs } from './run-inputs.js';
import type { UtteranceRecord } from './types.js';

const work = mkdtempSync(join(tmpdir(), 'asrq-bench-inputs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const file = (name: string, text: string): string => {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
};

describe('fingerprints', () => {
  it('tell contents apart by hash, not by mtime, for whole-hashed files', async () => {
    const path = file('a.bin', 'abcd');
    const before = await fingerprintFile(path);
    utimesSync(path, new Date(2000, 1, 1), new Date(2000, 1, 1));
    expect(sameContents(before, await fingerprintFile(path))).toBe(true);
    writeFileSync(path, 'abce');
    const after = await fingerprintFile(path);
    expect(after.size).toBe(before.size);
    expect(sameContents(before, after)).toBe(false);
    expect(sameContents({ ...before, partial: true }, { ...before, partial: true, mtimeMs: before.mtimeMs + 1 })).toBe(
      false,
    );
  });
});

describe('assertSameInputs', () => {
  it('names the audio files that changed (measured or not yet) and the transcript that changed under results', async () => {
    const model = file('m.onnx', 'model');
    const tokenizer = file('t.model', 'tok');
    const items: CorpusItem[] = ['u1', 'u2', 'u3'].map((id) => ({
      id,
      audioPath: file(`${id}.wav`, id),
      transcript: `TEXT ${id}`,
    }));
    const recorded = await fingerprintInputs({ models: [model], tokenizer, data: work, items });
    const previous = items.slice(0, 2).map(
      (item): UtteranceRecord => ({
        kind: 'utterance',
        model: 0,
        id: item.id,
        audioSec: 1,
        encoderSec: [0.1],
        decodeSec: 0,
        loadSec: 0,
        plumbingSec: 0,
        ref: item.transcript,
        hyp: '',
      }),
    );
    expect(() => assertSameInputs('j', recorded, recorded, previous, items)).not.toThrow();

    writeFileSync(items[1]!.audioPath, 'u2 re-recorded');
    // Not measured yet: the resumed run would measure another file than the run started with.
    writeFileSync(items[2]!.audioPath, 'u3 changed before its turn');
    const changedItems = items.map((item) => (item.id === 'u1' ? { ...item, transcript: 'NEW TEXT' } : item));
    const now = await fingerprintInputs({ models: [model], tokenizer, data: work, items: changedItems });
    let message = '';
    try {
      assertSameInputs('results.jsonl', recorded, now, previous, changedItems);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`audio of u2 ${items[1]!.audioPath} changed (size 2 -> 14 bytes`);
    expect(message).toContain('the reference transcript of u1 changed');
    expect(message).toContain(`audio of u3 ${items[2]!.audioPath} changed (size 2 -> 26 bytes`);
    expect(() => assertSameInputs('j', undefined, now, previous, items)).toThrow(/records no fingerprints/);
  });
});
