import { gzipSync } from 'node:zlib';

/** One entry of a hand-made tar archive. */
export type HandTarEntry =
  /** `declaredSize`: the size the header claims (a bomb's 8 GB), whatever the body holds. */
  | { type: 'file'; path: string; body?: string | Buffer; declaredSize?: number }
  /** A pax extended header for the next entry (e.g. a path longer than the 100 bytes of a ustar header). */
  | { type: 'pax'; path: string; records: Record<string, string> }
  | { type: 'dir'; path: string }
  | { type: 'symlink'; path: string; target: string }
  | { type: 'hardlink'; path: string; target: string };

const typeFlag = { file: '0', hardlink: '1', symlink: '2', dir: '5', pax: 'x' } as const;

function header(entry: HandTarEntry, size: number): Buffer {
  const block = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string): void => {
    block.write(value.slice(0, length), offset, 'utf8');
  };
  const octal = (offset: number, length: number, value: number): void =>
    field(offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
  field(0, 100, entry.path);
  octal(100, 8, entry.type === 'dir' ? 0o755 : 0o644);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, size);
  octal(136, 12, 1_700_000_000);
  block.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  field(156, 1, typeFlag[entry.type]);
  if (entry.type === 'symlink' || entry.type === 'hardlink') field(157, 100, entry.target);
  field(257, 6, 'ustar\0');
  field(263, 2, '00');
  let sum = 0;
  for (const byte of block) sum += byte;
  field(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

/**
 * Builds a .tar.gz byte by byte, in exactly the order given, so tests can make archives that
 * no well-behaved packer would write (link chains, entries through links, duplicates).
 * @param entries - The entries, in archive order.
 * @returns The gzipped archive.
 */
export function handTarGz(entries: HandTarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body =
      entry.type === 'file'
        ? Buffer.from(entry.body ?? '')
        : entry.type === 'pax'
          ? paxBody(entry.records)
          : Buffer.alloc(0);
    const size = entry.type === 'file' ? (entry.declaredSize ?? body.length) : body.length;
    blocks.push(header(entry, size), body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

/** pax records, each `<length> <key>=<value>\n` where the length counts the whole record. */
function paxBody(records: Record<string, string>): Buffer {
  const lines = Object.entries(records).map(([key, value]) => {
    const rest = ` ${key}=${value}\n`;
    let length = Buffer.byteLength(rest) + 1;
    while (String(length).length + Buffer.byteLength(rest) !== length) length++;
    return `${length}${rest}`;
  });
  return Buffer.from(lines.join(''));
}
