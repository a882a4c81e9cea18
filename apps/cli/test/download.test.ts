import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCorpusDir } from '@asrq/fixtures';
import { create } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

let work: string;
let server: Server;
let mirror: string;
let md5: string;

// A LibriSpeech mirror on 127.0.0.1 serving a small dev-clean.tar.gz in the official layout.
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'asrq-cli-download-'));
  const src = join(work, 'src', 'LibriSpeech', 'dev-clean');
  await mkdir(src, { recursive: true });
  for (const chapter of ['100/1001', '101/1002', '104/1001']) await cp(join(defaultCorpusDir, chapter), join(src, chapter), { recursive: true });
  const archive = join(work, 'dev-clean.tar.gz');
  await create({ gzip: true, file: archive, cwd: join(work, 'src'), portable: true }, ['LibriSpeech']);
  const body = await readFile(archive);
  md5 = createHash('md5').update(body).digest('hex');
  server = createServer((req, res) => {
    if (req.url === '/dev-clean.tar.gz') res.writeHead(200, { 'content-length': body.length }).end(body);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

describe('asrq data download', () => {
  it('downloads, verifies and extracts a split that bench then runs on', async () => {
    const to = join(work, 'data');
    const result = await runCli(['data', 'download', 'dev-clean', '--to', to, '--mirror', mirror, '--md5', md5, '--quiet']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(join(to, 'LibriSpeech', 'dev-clean'));
    const list = await runCli(['data', 'list', join(to, 'LibriSpeech', 'dev-clean'), '--json']);
    expect(list.stdout.trim().split('\n')).toHaveLength(3);
    const bench = await runCli(['bench', '--data', join(to, 'LibriSpeech', 'dev-clean'), '--n', '3', '--warmup', '0', '--repeats', '1', '--json', '--out', join(work, 'bench')]);
    expect(bench.code).toBe(0);
    expect((JSON.parse(bench.stdout) as { utterances: number }).utterances).toBe(3);
  });

  it('refuses an archive whose checksum does not match', async () => {
    const result = await runCli(['data', 'download', 'dev-clean', '--to', join(work, 'bad'), '--mirror', mirror, '--md5', '0'.repeat(32), '--quiet']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/checksum|MD5/i);
  });

  it('names the split the mirror does not have', async () => {
    const result = await runCli(['data', 'download', 'test-other', '--to', join(work, 'missing'), '--mirror', mirror, '--quiet']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/404|test-other/);
  });
});
