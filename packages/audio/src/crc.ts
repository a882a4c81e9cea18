function makeTable(poly: number, bits: 8 | 16): Uint16Array {
  const table = new Uint16Array(256);
  const top = 1 << (bits - 1);
  const mask = (1 << bits) - 1;
  for (let i = 0; i < 256; i++) {
    let crc = i << (bits - 8);
    for (let b = 0; b < 8; b++) crc = crc & top ? ((crc << 1) ^ poly) & mask : (crc << 1) & mask;
    table[i] = crc;
  }
  return table;
}

const crc8Table = makeTable(0x07, 8);
const crc16Table = makeTable(0x8005, 16);

/**
 * CRC-8 (polynomial x^8 + x^2 + x + 1) as used by FLAC frame headers.
 * @param bytes - Data.
 * @param start - First byte.
 * @param end - One past the last byte.
 * @returns The CRC.
 */
export function crc8(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = crc8Table[crc ^ bytes[i]!]!;
  return crc;
}

/**
 * Slicing-by-8 tables for CRC-16: table k (at k * 256) is the CRC of a byte followed by k zero
 * bytes, so eight input bytes fold into the CRC with eight independent lookups.
 */
const crc16Slices = (() => {
  const slices = new Uint16Array(8 * 256);
  slices.set(crc16Table);
  for (let k = 1; k < 8; k++) {
    for (let v = 0; v < 256; v++) {
      const x = slices[(k - 1) * 256 + v]!;
      slices[k * 256 + v] = ((x << 8) & 0xffff) ^ crc16Table[x >> 8]!;
    }
  }
  return slices;
})();

/**
 * CRC-16 (polynomial x^16 + x^15 + x^2 + 1) as used at the end of FLAC frames.
 * @param bytes - Data.
 * @param start - First byte.
 * @param end - One past the last byte.
 * @returns The CRC.
 */
export function crc16(bytes: Uint8Array, start: number, end: number): number {
  const t = crc16Slices;
  let crc = 0;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    crc =
      t[7 * 256 + ((crc >> 8) ^ bytes[i]!)]! ^
      t[6 * 256 + ((crc & 0xff) ^ bytes[i + 1]!)]! ^
      t[5 * 256 + bytes[i + 2]!]! ^
      t[4 * 256 + bytes[i + 3]!]! ^
      t[3 * 256 + bytes[i + 4]!]! ^
      t[2 * 256 + bytes[i + 5]!]! ^
      t[256 + bytes[i + 6]!]! ^
      t[bytes[i + 7]!]!;
  }
  for (; i < end; i++) crc = ((crc << 8) & 0xffff) ^ t[(crc >> 8) ^ bytes[i]!]!;
  return crc;
}
