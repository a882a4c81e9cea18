/** A synthetic 3-gram ARPA file for LM load benchmarks (word ids as words, deterministic numbers). */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * Writes a synthetic ARPA file.
 * @param path - Output path.
 * @param vocab - Words besides the markers.
 * @param bigrams - 2-gram count.
 * @param trigrams - 3-gram count.
 */
export async function writeSyntheticArpa(
  path: string,
  vocab: number,
  bigrams: number,
  trigrams: number,
): Promise<void> {
  const stream = createWriteStream(path);
  const write = async (text: string): Promise<void> => {
    if (!stream.write(text)) await once(stream, 'drain');
  };
  const word = (i: number): string => `w${i}`;
  await write(
    `\\data\\\nngram 1=${vocab + 3}\nngram 2=${bigrams}\nngram 3=${trigrams}\n\n\\1-grams:\n-1\t<unk>\t0\n-99\t<s>\t-0.3\n-1.5\t</s>\t0\n`,
  );
  let chunk = '';
  const flush = async (force = false): Promise<void> => {
    if (force || chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  };
  for (let i = 0; i < vocab; i++) {
    chunk += `-${(3 + (i % 97) / 50).toFixed(4)}\t${word(i)}\t-${((i % 13) / 40).toFixed(4)}\n`;
    await flush();
  }
  chunk += '\n\\2-grams:\n';
  const bigramWords = (j: number): [number, number] => [j % vocab, (Math.floor(j / vocab) * 7919 + j) % vocab];
  for (let j = 0; j < bigrams; j++) {
    const [a, b] = bigramWords(j);
    chunk += `-${(1 + (j % 89) / 40).toFixed(4)}\t${word(a)} ${word(b)}\t-${((j % 7) / 30).toFixed(4)}\n`;
    await flush();
  }
  chunk += '\n\\3-grams:\n';
  for (let m = 0; m < trigrams; m++) {
    const [a, b] = bigramWords(m % bigrams);
    const c = (Math.floor(m / bigrams) * 104729 + m) % vocab;
    chunk += `-${(0.5 + (m % 83) / 40).toFixed(4)}\t${word(a)} ${word(b)} ${word(c)}\n`;
    await flush();
  }
  chunk += '\n\\end\\\n';
  await flush(true);
  stream.end();
  await once(stream, 'finish');
}
