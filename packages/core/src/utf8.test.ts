import { describe, expect, it } from 'vitest';
import { CoreError } from './core-errors.js';
import { errorCode } from './error-spec.js';
import { decodeUtf8 } from './utf8.js';

describe('decodeUtf8', () => {
  const spec = errorCode(CoreError, 'DIR_LOCKED');

  it('decodes UTF-8, multi-byte characters included', () => {
    expect(decodeUtf8(new TextEncoder().encode('a\nCAFÉ “x” 日本\n'), 'a.txt', spec)).toBe('a\nCAFÉ “x” 日本\n');
  });

  it('names file, line and byte of Latin-1 text instead of turning it into U+FFFD', () => {
    const latin1 = Uint8Array.from([...new TextEncoder().encode('ONE\nTWO\nCAF'), 0xc9, 0x0a]);
    expect(() => decodeUtf8(latin1, 't.txt', spec)).toThrow(
      expect.objectContaining({
        code: 'DIR_LOCKED',
        message: expect.stringContaining('t.txt:3: byte 0xC9 is not UTF-8'),
      }),
    );
    expect(() => decodeUtf8(Uint8Array.from([0x41, 0xe2, 0x82]), 'cut.txt', spec)).toThrow(/cut\.txt:1: byte 0xE2/);
    expect(() => decodeUtf8(Uint8Array.from([0xc3, 0xa9, 0x0a, 0x80]), 'stray.txt', spec)).toThrow(
      /stray\.txt:2: byte 0x80/,
    );
  });
});
