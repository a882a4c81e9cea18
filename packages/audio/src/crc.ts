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
 * CRC-16 (polynomial x^16 + x^15 + x^2 + 1) as used at the end of FLAC frames.
 * @param bytes - Data.
 * @param start - First byte.
 * @param end - One past the last byte.
 * @returns The CRC.
 */
export function crc16(bytes: Uint8Array, start: number, end: number): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xffff) ^ crc16Table[(crc >> 8) ^ bytes[i]!]!;
  return crc;
}
