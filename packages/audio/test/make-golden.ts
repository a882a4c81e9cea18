// Regenerates test/fixtures/flac-golden.json: pnpm exec tsx --conditions=@asrq/source test/make-golden.ts
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { defaultCorpusDir } from '@asrq/fixtures';
import { decodeFlacSamples } from '../src/flac-decoder.js';
import { sampleMd5 } from './sample-hash.js';

const files = readdirSync(defaultCorpusDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.flac'))
  .sort();
const golden: Record<string, { samples: number; md5: string }> = {};
for (const file of files) {
  const { streamInfo, channels } = decodeFlacSamples(readFileSync(join(defaultCorpusDir, file)));
  golden[relative('.', file)] = { samples: channels[0]!.length, md5: sampleMd5(channels, streamInfo.bitsPerSample) };
}
writeFileSync(new URL('fixtures/flac-golden.json', import.meta.url), `${JSON.stringify(golden, null, 2)}\n`);
