import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultCorpusDir } from '@asrq/fixtures';
import { create } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCorpus } from './corpus.js';
import { downloadLibriSpeech, type DownloadProgress } from './download.js';
import { unsafeEntryReason } from './extract.js';
import { rejection } from '../test/rejection.js';

const work = mkdtempSync(join(tmpdir(), 'asrq-audio-download-'));
const served = new Map<string, Buffer>();
const requests: { path: string; range?: string }[] = [];
/** Paths whose next response is cut off after this many bytes (once). */
const interruptAt = new Map<string, number>();
let server: Server;
let baseUrl: string;

async function tarGz(
  name: string,
  cwd: string,
  entries: string[],
  options: { preservePaths?: boolean } = {},
): Promise<Buffer> {
  const file = join(work, `${name}.tar.gz`);
  await create({ gzip: true, file, cwd, portable: true, ...options }, entries);
  return readFileSync(file);
}

beforeAll(async () => {
  // A two-chapter mini split in the official layout: LibriSpeech/<split>/SPEAKER/CHAPTER/...
  const src = join(work, 'src');
  mkdirSync(join(src, 'LibriSpeech', 'mini'), { recursive: true });
  for (const chapter of ['100/1001', '101/1002'])
    cpSync(join(defaultCorpusDir, chapter), join(src, 'LibriSpeech', 'mini', chapter), { recursive: true });
  writeFileSync(join(src, 'LibriSpeech', 'SPEAKERS.TXT'), '; test\n');
  // Incompressible padding so the archive is big enough to interrupt half-way.
  writeFileSync(
    join(src, 'LibriSpeech', 'mini', 'padding.bin'),
    createHash('sha512').update('x').digest().toString('hex').repeat(2000),
  );
  const mini = await tarGz('mini', src, ['LibriSpeech']);
  served.set('/slr12/mini.tar.gz', mini);
  served.set('/slr12/mini.tar.gz.md5', Buffer.from(`${createHash('md5').update(mini).digest('hex')}  mini.tar.gz\n`));
  served.set('/slr12/stall.tar.gz', mini);
  served.set('/slr12/garbage.tar.gz', Buffer.from('this is not gzip data at all'.repeat(100)));

  const evil = join(work, 'evil', 'inner');
  mkdirSync(evil, { recursive: true });
  writeFileSync(join(work, 'evil', 'outside.txt'), 'escaped');
  served.set('/slr12/dotdot.tar.gz', await tarGz('dotdot', evil, ['../outside.txt'], { preservePaths: true }));
  symlinkSync('/etc', join(evil, 'link'));
  served.set('/slr12/symlink.tar.gz', await tarGz('symlink', evil, ['link']));

  server = createServer((req, res) => {
    const path = req.url ?? '';
    requests.push({ path, ...(req.headers.range ? { range: req.headers.range } : {}) });
    const body = served.get(path);
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    if (start >= body.length) {
      res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
      return;
    }
    const headers = {
      'content-length': String(body.length - start),
      ...(range ? { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
    };
    res.writeHead(range ? 206 : 200, headers);
    if (path === '/slr12/stall.tar.gz') {
      // Half the bytes, then silence until the client gives up.
      res.write(body.subarray(0, body.length >> 1));
      return;
    }
    const cut = interruptAt.get(path);
    if (cut !== undefined) {
      interruptAt.delete(path);
      res.write(body.subarray(start, cut), () => setTimeout(() => res.destroy(), 20));
      return;
    }
    res.end(body.subarray(start));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slr12`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

describe('downloadLibriSpeech against a local server', () => {
  it('downloads, verifies the served .md5, extracts into LibriSpeech/<split>, and then reuses it', async () => {
    const to = join(work, 'plain');
    const events: DownloadProgress[] = [];
    const result = await downloadLibriSpeech('mini', { to, baseUrl, onProgress: (e) => events.push(e) });
    const archive = served.get('/slr12/mini.tar.gz')!;
    expect(result).toEqual({
      dir: join(to, 'LibriSpeech', 'mini'),
      archive: join(to, 'mini.tar.gz'),
      bytes: archive.length,
      resumed: false,
      verifiedMd5: createHash('md5').update(archive).digest('hex'),
    });
    expect(existsSync(join(to, 'LibriSpeech', 'SPEAKERS.TXT'))).toBe(true);
    expect((await openCorpus(result.dir)).items.map((i) => i.id)).toEqual(['100-1001-0028', '101-1002-0002']);
    expect(events.map((e) => e.status).filter((s, i, all) => s !== all[i - 1])).toEqual([
      'download',
      'verify',
      'extract',
      'done',
    ]);
    expect(events.find((e) => e.status === 'download' && e.bytes === archive.length)).toMatchObject({
      totalBytes: archive.length,
    });

    const before = requests.length;
    const again = await downloadLibriSpeech('mini', { to, baseUrl });
    expect(again).toMatchObject({ bytes: 0, dir: result.dir });
    expect(requests.length).toBe(before);
  });

  it('resumes an interrupted transfer with an HTTP Range request', async () => {
    const to = join(work, 'resume');
    const archive = served.get('/slr12/mini.tar.gz')!;
    const cut = Math.floor(archive.length / 2);
    interruptAt.set('/slr12/mini.tar.gz', cut);
    const error = await rejection(downloadLibriSpeech('mini', { to, baseUrl }));
    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.message).toContain('again to resume');
    expect(statSync(join(to, 'mini.tar.gz.part')).size).toBe(cut);

    const result = await downloadLibriSpeech('mini', { to, baseUrl });
    expect(result.resumed).toBe(true);
    expect(result.bytes).toBe(archive.length - cut);
    expect(requests.at(-2)).toEqual({ path: '/slr12/mini.tar.gz', range: `bytes=${cut}-` });
    expect(readFileSync(result.archive).equals(archive)).toBe(true);
    expect((await openCorpus(result.dir)).items).toHaveLength(2);
  });

  it('stops with ABORTED when the signal fires mid-transfer, keeping the partial file for a resume', async () => {
    const to = join(work, 'abort');
    const controller = new AbortController();
    // Abort once the half the server sends is on disk (a fixed delay would fail on a busy machine).
    const half = served.get('/slr12/mini.tar.gz')!.length >> 1;
    const poll = setInterval(() => {
      if ((existsSync(join(to, 'stall.tar.gz.part')) ? statSync(join(to, 'stall.tar.gz.part')).size : 0) >= half)
        controller.abort();
    }, 10);
    const error = await rejection(downloadLibriSpeech('stall', { to, baseUrl, signal: controller.signal })).finally(
      () => clearInterval(poll),
    );
    expect(error.code).toBe('ABORTED');
    expect(statSync(join(to, 'stall.tar.gz.part')).size).toBe(served.get('/slr12/mini.tar.gz')!.length >> 1);
    expect((await rejection(downloadLibriSpeech('stall', { to, baseUrl, signal: AbortSignal.abort() }))).code).toBe(
      'ABORTED',
    );
  });

  it('rejects a checksum mismatch and deletes the archive', async () => {
    const to = join(work, 'mismatch');
    const error = await rejection(downloadLibriSpeech('mini', { to, baseUrl, md5: '0'.repeat(32) }));
    expect(error.code).toBe('DOWNLOAD_CHECKSUM_MISMATCH');
    expect(error.message).toContain(`expected ${'0'.repeat(32)}`);
    expect(existsSync(join(to, 'mini.tar.gz'))).toBe(false);
    expect(existsSync(join(to, 'LibriSpeech'))).toBe(false);
  });

  it('reports a corrupt archive and leaves no partial split behind', async () => {
    const to = join(work, 'corrupt');
    const error = await rejection(downloadLibriSpeech('garbage', { to, baseUrl }));
    expect(error.code).toBe('ARCHIVE_CORRUPT');
    expect(existsSync(join(to, 'LibriSpeech'))).toBe(false);
    expect(existsSync(join(to, 'garbage.tar.gz'))).toBe(false);
  });

  it('refuses entries that climb out with .. or link outside, writing nothing outside', async () => {
    const to = join(work, 'unsafe', 'dest');
    const dotdot = await rejection(downloadLibriSpeech('dotdot', { to, baseUrl }));
    expect(dotdot.code).toBe('ARCHIVE_UNSAFE_ENTRY');
    expect(dotdot.message).toContain('../outside.txt');
    expect(existsSync(join(work, 'unsafe', 'outside.txt'))).toBe(false);
    const link = await rejection(downloadLibriSpeech('symlink', { to, baseUrl }));
    expect(link.code).toBe('ARCHIVE_UNSAFE_ENTRY');
    expect(link.message).toContain('/etc');
    expect(existsSync(join(to, 'LibriSpeech'))).toBe(false);
  });

  it('uses ASRQ_LIBRISPEECH_MIRROR when no base URL is given, and reports HTTP errors', async () => {
    const previous = process.env.ASRQ_LIBRISPEECH_MIRROR;
    process.env.ASRQ_LIBRISPEECH_MIRROR = `${baseUrl}/`;
    try {
      const error = await rejection(downloadLibriSpeech('no-such-split', { to: join(work, 'env') }));
      expect(error.code).toBe('DOWNLOAD_FAILED');
      expect(error.message).toContain(`${baseUrl}/no-such-split.tar.gz: HTTP 404`);
    } finally {
      if (previous === undefined) delete process.env.ASRQ_LIBRISPEECH_MIRROR;
      else process.env.ASRQ_LIBRISPEECH_MIRROR = previous;
    }
    expect((await rejection(downloadLibriSpeech('../x', { to: work, baseUrl }))).code).toBe('DOWNLOAD_BAD_SPLIT');
  });
});

describe('unsafeEntryReason', () => {
  it.each([
    [{ path: 'LibriSpeech/dev-clean/1/2/1-2-0000.flac', type: 'File' }, undefined],
    [{ path: 'a/link', type: 'SymbolicLink', linkpath: '../b' }, undefined],
    [{ path: '/etc/passwd', type: 'File' }, 'absolute path'],
    [{ path: 'a/../../x', type: 'File' }, 'path contains ".."'],
    [{ path: 'C:/x', type: 'File' }, 'absolute path'],
    [{ path: 'a/link', type: 'SymbolicLink', linkpath: '../../x' }, 'link to ../../x points outside the archive'],
    [{ path: 'a/hard', type: 'Link', linkpath: '../x' }, 'link to ../x points outside the archive'],
    [{ path: 'dev', type: 'CharacterDevice' }, 'CharacterDevice entries are not allowed'],
  ])('%o -> %s', (entry, reason) => {
    expect(unsafeEntryReason(entry)).toBe(reason);
  });
});
