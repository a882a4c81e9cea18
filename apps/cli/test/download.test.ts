import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCorpusDir } from '@asrq/fixtures';
import { create } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, runCli } from './run-cli.js';

let work: string;
let server: Server;
let mirror: string;
let md5: string;
let padded: { body: Buffer; md5: string };

// The progress bar only draws on a terminal: util-linux `script` gives the CLI a pseudo-terminal.
const hasScript = spawnSync('script', ['--version']).status === 0;

// A LibriSpeech mirror on 127.0.0.1 serving a small dev-clean.tar.gz in the official layout.
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'asrq-cli-download-'));
  const src = join(work, 'src', 'LibriSpeech', 'dev-clean');
  await mkdir(src, { recursive: true });
  for (const chapter of ['100/1001', '101/1002', '104/1001'])
    await cp(join(defaultCorpusDir, chapter), join(src, chapter), { recursive: true });
  const archive = join(work, 'dev-clean.tar.gz');
  await create({ gzip: true, file: archive, cwd: join(work, 'src'), portable: true }, ['LibriSpeech']);
  const body = await readFile(archive);
  md5 = createHash('md5').update(body).digest('hex');
  // The same split with 3 MB of incompressible padding beside it (as LibriSpeech ships README.TXT), so the bar counts whole megabytes.
  await cp(join(work, 'src'), join(work, 'padded-src'), { recursive: true });
  await writeFile(join(work, 'padded-src', 'LibriSpeech', 'PADDING.BIN'), randomBytes(3_000_000));
  const paddedArchive = join(work, 'padded.tar.gz');
  await create({ gzip: true, file: paddedArchive, cwd: join(work, 'padded-src'), portable: true }, ['LibriSpeech']);
  const paddedBody = await readFile(paddedArchive);
  padded = { body: paddedBody, md5: createHash('md5').update(paddedBody).digest('hex') };
  server = createServer((req, res) => {
    if (req.url === '/dev-clean.tar.gz') res.writeHead(200, { 'content-length': body.length }).end(body);
    else if (req.url === '/padded/dev-clean.tar.gz')
      res.writeHead(200, { 'content-length': paddedBody.length }).end(paddedBody);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => rm(work, { recursive: true, force: true }));

afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

describe('asrq data download', () => {
  it('downloads, verifies and extracts a split that bench then runs on', async () => {
    const to = join(work, 'data');
    const result = await runCli([
      'data',
      'download',
      'dev-clean',
      '--to',
      to,
      '--mirror',
      mirror,
      '--md5',
      md5,
      '--quiet',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(join(to, 'LibriSpeech', 'dev-clean'));
    const list = await runCli(['data', 'list', join(to, 'LibriSpeech', 'dev-clean'), '--json']);
    expect(list.stdout.trim().split('\n')).toHaveLength(3);
    const bench = await runCli([
      'bench',
      '--data',
      join(to, 'LibriSpeech', 'dev-clean'),
      '--n',
      '3',
      '--warmup',
      '0',
      '--repeats',
      '1',
      '--json',
      '--out',
      join(work, 'bench'),
    ]);
    expect(bench.code).toBe(0);
    expect((JSON.parse(bench.stdout) as { utterances: number }).utterances).toBe(3);
  });

  it('refuses an archive whose checksum does not match', async () => {
    const result = await runCli([
      'data',
      'download',
      'dev-clean',
      '--to',
      join(work, 'bad'),
      '--mirror',
      mirror,
      '--md5',
      '0'.repeat(32),
      '--quiet',
    ]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/checksum|MD5/i);
  });

  it('names the split the mirror does not have', async () => {
    const result = await runCli([
      'data',
      'download',
      'test-other',
      '--to',
      join(work, 'missing'),
      '--mirror',
      mirror,
      '--quiet',
    ]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/404|test-other/);
  });
});

describe.skipIf(!hasScript)('asrq data download on a terminal (needs util-linux script)', () => {
  it('draws a progress bar of the megabytes received out of the archive size', async () => {
    const to = join(work, 'terminal');
    const command = [
      process.execPath,
      binPath,
      'data',
      'download',
      'dev-clean',
      '--to',
      to,
      '--mirror',
      `${mirror}/padded`,
      '--md5',
      padded.md5,
    ]
      .map((a) => JSON.stringify(a))
      .join(' ');
    // spawnSync would block the event loop, and with it the mirror this test process serves.
    const result = await new Promise<{ status: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...process.env, COLUMNS: '120' } });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout }));
    });
    expect(result.status).toBe(0);
    const totalMb = Math.round(padded.body.length / 1e6);
    const bars = [...result.stdout.matchAll(/download MB +\[[^\]]*\] (\S+)\/(\S+)/g)].map((m) => ({
      done: m[1]!,
      total: m[2]!,
    }));
    expect(bars.length).toBeGreaterThan(0);
    for (const bar of bars) {
      expect(bar.total).toBe(String(totalMb));
      expect(Number(bar.done)).toBeGreaterThanOrEqual(0);
      expect(Number(bar.done)).toBeLessThanOrEqual(totalMb);
    }
    expect(result.stdout).toContain(join(to, 'LibriSpeech', 'dev-clean'));
  }, 120_000);
});
