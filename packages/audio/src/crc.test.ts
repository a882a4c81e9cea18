import { describe, expect, it } from 'vitest';
import { crc16, crc8 } from './crc.js';

/** Bit by bit, straight from the polynomial: the reference the table-driven CRCs must equal. */
function bitwiseCrc(bytes: Uint8Array, poly: number, bits: number): number {
  const top = 1 << (bits - 1);
  const mask = (1 << bits) - 1;
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << (bits - 8);
    for (let b = 0; b < 8; b++) crc = crc & top ? ((crc << 1) ^ poly) & mask : (crc << 1) & mask;
  }
  return crc;
}

describe('FLAC CRCs', () => {
  const check = new TextEncoder().encode('123456789');

  it('give the catalogued check values (CRC-8 0xF4, CRC-16/BUYPASS 0xFEE8)', () => {
    expect(crc8(check, 0, check.length)).toBe(0xf4);
    expect(crc16(check, 0, check.length)).toBe(0xfee8);
  });

  it('CRC-16 (slicing by 8) equals the bitwise CRC for every length and offset around the 8-byte steps', () => {
    let seed = 12345;
    const data = Uint8Array.from({ length: 300 }, () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed >>> 24;
    });
    for (let start = 0; start < 9; start++) {
      for (let end = start; end <= data.length; end += end - start < 40 ? 1 : 37) {
        const slice = data.subarray(start, end);
        expect(crc16(data, start, end), `${start}..${end}`).toBe(bitwiseCrc(slice, 0x8005, 16));
        expect(crc8(data, start, end), `${start}..${end}`).toBe(bitwiseCrc(slice, 0x07, 8));
      }
    }
  });
});
