import { existsSync, lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMd5, downloadLibriSpeech } from './download.js';
import { ArchiveLinks } from './archive-links.js';
import { extractArchiveSafely, unsafeEntryReason } from './extract.js';
import { handTarGz, type HandTarEntry } from '../test/hand-tar.js';
import { rejection } from '../test/rejection.js';

// Hostile archives, made byte by byte, served by a real HTTP server on 127.0.0.1.
const work = mkdtempSync(join(tmpdir(), 'asrq-audio-hostile-'));
const served = new Map<string, Buffer>();
const requested: string[] = [];
let server: Server;
let baseUrl: string;

const many = (dir: string, n: number, bytes = 40_000): HandTarEntry[] =>
  Array.from({ length: n }, (_, i) => ({
    type: 'file' as const,
    path: `${dir}/f${i}.bin`,
    body: Buffer.alloc(bytes, i),
  }));

beforeAll(async () => {
  // The chain from the fault probe: each link's own text stays inside, the chain does not.
  served.set(
    '/chain.tar.gz',
    handTarGz([
      { type: 'dir', path: 'a/' },
      { type: 'symlink', path: 'a/s1', target: '..' },
      { type: 'symlink', path: 'a/s2', target: 's1/..' },
      { type: 'symlink', path: 'a/s3', target: 's2/..' },
      { type: 'symlink', path: 'a/s4', target: 's3/..' },
    ]),
  );
  // An earlier link changes meaning once a later link is extracted.
  served.set(
    '/late.tar.gz',
    handTarGz([
      { type: 'dir', path: 'a/' },
      { type: 'symlink', path: 'a/s1', target: 'x/..' },
      { type: 'symlink', path: 'a/x', target: '..' },
    ]),
  );
  // A hard link taken through a symbolic link that leads out.
  served.set(
    '/hard.tar.gz',
    handTarGz([
      { type: 'symlink', path: 'up', target: '.' },
      { type: 'dir', path: 'a/' },
      { type: 'symlink', path: 'a/s1', target: '../up/..' },
      { type: 'hardlink', path: 'stolen', target: 'a/s1/secret' },
    ]),
  );
  // Accepted by our filter, refused by node-tar (a file written through a link), with plenty
  // of files in flight before and after, which used to crash the clean-up with ENOTEMPTY.
  served.set(
    '/through.tar.gz',
    handTarGz([
      { type: 'symlink', path: 'LibriSpeech/through/s1', target: '.' },
      ...many('LibriSpeech/through/before', 150),
      { type: 'file', path: 'LibriSpeech/through/s1/f', body: 'via the link' },
      ...many('LibriSpeech/through/after', 1500, 4096),
    ]),
  );
  // Cut off in the middle of a file after many complete ones.
  const whole = handTarGz(many('LibriSpeech/cut', 200));
  const { gunzipSync, gzipSync } = await import('node:zlib');
  const raw = gunzipSync(whole);
  served.set('/cut.tar.gz', gzipSync(raw.subarray(0, Math.floor(raw.length * 0.7) + 100)));
  // A genuine-looking archive whose link stays inside: still accepted.
  served.set(
    '/fine.tar.gz',
    handTarGz([
      { type: 'file', path: 'LibriSpeech/fine/1/2/1-2.trans.txt', body: '1-2-0000 HELLO\n' },
      { type: 'symlink', path: 'LibriSpeech/fine/alias', target: '1/2' },
    ]),
  );

  // A gzip bomb as the fault probe made it: an entry whose header claims 8 GB (the body is never needed).
  served.set(
    '/bomb.tar.gz',
    handTarGz([{ type: 'file', path: 'LibriSpeech/bomb/x.flac', body: 'x', declaredSize: 8e9 }]),
  );
  // An entry whose name no file system takes (a pax header carries the long path).
  served.set(
    '/long.tar.gz',
    handTarGz([
      { type: 'pax', path: 'PaxHeader', records: { path: `LibriSpeech/long/${'n'.repeat(300)}.flac` } },
      { type: 'file', path: 'placeholder', body: 'x' },
    ]),
  );

  server = createServer((req, res) => {
    requested.push(req.url ?? '');
    // Promises 1000 bytes and sends none: a transfer truncated before its first byte.
    if (req.url === '/truncated.tar.gz') {
      res.writeHead(200, { 'content-length': '1000' });
      res.flushHeaders();
      res.destroy();
      return;
    }
    const body = served.get(req.url ?? '');
    if (!body) res.writeHead(404).end();
    else res.writeHead(200, { 'content-length': String(body.length) }).end(body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
  rmSync(work, { recursive: true, force: true });
});

/** Every path under `dir` that is a symbolic link, plus leftover extraction folders. */
function leftovers(dir: string): { links: string[]; extractDirs: string[] } {
  const links: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (lstatSync(path).isSymbolicLink()) links.push(path);
      else if (lstatSync(path).isDirectory()) walk(path);
    }
  };
  walk(dir);
  return { links, extractDirs: readdirSync(dir).filter((n) => n.includes('.extract-')) };
}

describe('downloadLibriSpeech refuses hostile archives and cleans up', () => {
  it.each([
    ['chain', 'a/s2', 'link to s1/.. points outside the archive'],
    ['late', 'a/s1', 'once a/x -> .. is followed'],
    ['hard', 'a/s1', 'link to ../up/.. points outside the archive'],
    ['through', 'LibriSpeech/through/s1', 'written through this symbolic link'],
  ])('%s: ARCHIVE_UNSAFE_ENTRY naming %s, no link and no temporary folder left', async (split, entry, reason) => {
    const to = join(work, split);
    const error = await rejection(downloadLibriSpeech(split, { to, baseUrl }));
    expect(error.code).toBe('ARCHIVE_UNSAFE_ENTRY');
    expect(error.message).toContain(`"${entry}"`);
    expect(error.message).toContain(reason);
    expect(leftovers(to)).toEqual({ links: [], extractDirs: [] });
    expect(existsSync(join(to, 'LibriSpeech'))).toBe(false);
  });

  it('reports an archive cut off mid-file as corrupt and leaves no temporary folder', async () => {
    const to = join(work, 'cut');
    const error = await rejection(downloadLibriSpeech('cut', { to, baseUrl }));
    expect(error.code).toBe('ARCHIVE_CORRUPT');
    expect(leftovers(to).extractDirs).toEqual([]);
    expect(existsSync(join(to, 'LibriSpeech'))).toBe(false);
  });

  it('removes extraction folders a killed run left behind, and keeps links that stay inside', async () => {
    const to = join(work, 'fine');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(join(to, '.fine.extract-deadbeef', 'x'), { recursive: true });
    writeFileSync(join(to, '.fine.extract-deadbeef', 'x', 'partial'), 'x');
    const result = await downloadLibriSpeech('fine', { to, baseUrl });
    expect(readdirSync(join(result.dir, 'alias'))).toEqual(['1-2.trans.txt']);
    expect(leftovers(to).extractDirs).toEqual([]);
  });

  it('refuses a malformed --md5 before downloading anything', async () => {
    const before = requested.length;
    for (const md5 of ['xyz', '0'.repeat(31), `${'g'.repeat(32)}`, '']) {
      const error = await rejection(downloadLibriSpeech('fine', { to: join(work, 'md5'), baseUrl, md5 }));
      expect(error.code).toBe('DOWNLOAD_BAD_MD5');
      expect(error.message).toContain('32 hexadecimal digits');
    }
    expect(requested.length).toBe(before);
    expect(existsSync(join(work, 'md5'))).toBe(false);
    expect(checkMd5(`  ${'AB'.repeat(16)}  fine.tar.gz\n`)).toBe('ab'.repeat(16));
  });
});

describe('ArchiveLinks', () => {
  it('resolves paths through earlier links and refuses chains and loops that leave the root', () => {
    const links = new ArchiveLinks();
    links.add('a/s1', '..');
    expect(links.resolve('a/s1')).toBe('');
    expect(links.resolve('a/s1/b')).toBe('b');
    expect(links.resolve('a/s1/..')).toBeUndefined();
    expect(unsafeEntryReason({ path: 'a/s2', type: 'SymbolicLink', linkpath: 's1/..' }, links)).toBe(
      'link to s1/.. points outside the archive',
    );
    expect(unsafeEntryReason({ path: 'a/s2', type: 'SymbolicLink', linkpath: 's1/..' })).toBeUndefined();
    links.add('loop1', 'loop2');
    links.add('loop2', 'loop1');
    expect(links.resolve('loop1')).toBeUndefined();
    expect(links.firstEscaping()).toEqual({ path: 'loop1', target: 'loop2' });
    links.remove('loop1');
    links.remove('loop2');
    expect(links.firstEscaping()).toBeUndefined();
  });
});

describe('downloadLibriSpeech: bombs, names, mirrors and partial files (issue 24)', () => {
  it('refuses a gzip bomb from its tar header, before writing or decompressing it, and says to delete the archive', async () => {
    const to = join(work, 'bomb');
    const error = await rejection(downloadLibriSpeech('bomb', { to, baseUrl }));
    expect(error.code).toBe('ARCHIVE_UNSAFE_ENTRY');
    expect(error.message).toContain('"LibriSpeech/bomb/x.flac" (it would unpack to 8000000000 bytes');
    expect(error.message).toContain(`delete ${join(to, 'bomb.tar.gz')} before running again`);
    expect(leftovers(to).extractDirs).toEqual([]);
  });

  it('limits each entry and the whole archive (limits injected, small archives)', async () => {
    const archive = join(work, 'many.tar.gz');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(archive, handTarGz(many('LibriSpeech/many', 10, 40_000)));
    await expect(
      extractArchiveSafely(archive, join(work, 'many-1'), undefined, { maxEntryBytes: 30_000 }),
    ).rejects.toMatchObject({
      code: 'ARCHIVE_UNSAFE_ENTRY',
      message: expect.stringContaining('more than the 30000 allowed for one file'),
    });
    await expect(
      extractArchiveSafely(archive, join(work, 'many-2'), undefined, { maxTotalBytes: 100_000 }),
    ).rejects.toMatchObject({
      code: 'ARCHIVE_UNSAFE_ENTRY',
      message: expect.stringContaining('"LibriSpeech/many/f2.bin" (the archive would unpack to more than 100000 bytes'),
    });
    await expect(extractArchiveSafely(archive, join(work, 'many-3'))).resolves.toBe(10);
  });

  it('refuses an entry name too long for the file system as unsafe, not as a full disk', async () => {
    const error = await rejection(downloadLibriSpeech('long', { to: join(work, 'long'), baseUrl }));
    expect(error.code).toBe('ARCHIVE_UNSAFE_ENTRY');
    expect(error.message).toContain('its name is longer than a file system allows');
    expect(error.message).not.toContain('free space');
  });

  it('refuses a mirror that is not a URL before any request, instead of saying to run again', async () => {
    const before = requested.length;
    for (const mirror of ['notaurl', 'ftp://example.org/x', '']) {
      const error = await rejection(downloadLibriSpeech('fine', { to: join(work, 'url'), baseUrl: mirror }));
      expect(error.code).toBe('DOWNLOAD_BAD_URL');
      expect(error.message).toContain('is not an http:// or https:// URL');
      expect(error.message).not.toContain('again');
    }
    expect(requested.length).toBe(before);
  });

  it('leaves no 0-byte partial file when a transfer breaks off before its first byte', async () => {
    const to = join(work, 'truncated');
    const error = await rejection(downloadLibriSpeech('truncated', { to, baseUrl }));
    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(existsSync(join(to, 'truncated.tar.gz.part'))).toBe(false);
  });
});
