import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultCorpusDir } from '@asrq/fixtures';

/** Paths of the first `count` bundled FLAC utterances, speakers in sorted order. */
export async function firstUtterancePaths(count: number): Promise<string[]> {
  const files: string[] = [];
  for (const speaker of (await readdir(defaultCorpusDir)).sort()) {
    for (const chapter of await readdir(join(defaultCorpusDir, speaker))) {
      for (const f of await readdir(join(defaultCorpusDir, speaker, chapter)))
        if (f.endsWith('.flac')) files.push(join(defaultCorpusDir, speaker, chapter, f));
    }
    if (files.length >= count) break;
  }
  return files.slice(0, count);
}
