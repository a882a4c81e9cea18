import { cp, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultCorpusDir } from '@asrq/fixtures';

/**
 * Copies the first `chapters` chapters of the bundled corpus (LibriSpeech layout) into `dir`:
 * a small corpus for calibration and benchmarks in tests.
 * @param dir - Where the corpus goes (`<dir>/<speaker>/<chapter>/`).
 * @param chapters - How many chapters to take.
 * @returns The corpus folder and its first FLAC file.
 */
export async function corpusSubset(dir: string, chapters: number): Promise<{ corpus: string; clip: string }> {
  let taken = 0;
  for (const speaker of (await readdir(defaultCorpusDir)).sort()) {
    for (const chapter of (await readdir(join(defaultCorpusDir, speaker))).sort()) {
      if (taken >= chapters) break;
      await mkdir(join(dir, speaker), { recursive: true });
      await cp(join(defaultCorpusDir, speaker, chapter), join(dir, speaker, chapter), { recursive: true });
      taken++;
    }
  }
  const speaker = (await readdir(dir)).sort()[0]!;
  const chapter = (await readdir(join(dir, speaker))).sort()[0]!;
  const files = (await readdir(join(dir, speaker, chapter))).filter((f) => f.endsWith('.flac')).sort();
  return { corpus: dir, clip: join(dir, speaker, chapter, files[0]!) };
}
