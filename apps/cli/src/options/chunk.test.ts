import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addChunkOptions, chunkOptions, type ChunkFlags } from './chunk.js';

function parse(args: string[]): ChunkFlags {
  const command = addChunkOptions(new Command('t').exitOverride().configureOutput({ writeErr: () => {} }));
  command.parse(args, { from: 'user' });
  return command.opts<ChunkFlags>();
}

describe('--chunk-sec / --stride-sec', () => {
  it('passes only the given values on, so the library defaults (30 s / 5 s) apply otherwise', () => {
    expect(chunkOptions(parse([]))).toEqual({});
    expect(chunkOptions(parse(['--chunk-sec', '20', '--stride-sec', '2.5']))).toEqual({ chunkSec: 20, strideSec: 2.5 });
  });

  it('refuses negative, zero, huge or non-numeric seconds as a usage error (--chunk-sec 0 took a whole file at once)', () => {
    expect(() => parse(['--chunk-sec', '-1'])).toThrow(/seconds above 0 and at most 600/);
    expect(() => parse(['--chunk-sec', '0'])).toThrow(/seconds above 0 and at most 600/);
    expect(() => parse(['--chunk-sec', '1e9'])).toThrow(/seconds above 0 and at most 600/);
    expect(() => parse(['--stride-sec', 'abc'])).toThrow(/seconds from 0 to 120/);
    expect(() => parse(['--stride-sec', '1e6'])).toThrow(/seconds from 0 to 120/);
  });

  it('refuses a window that keeps nothing as a usage error (exit 2), naming both flags', () => {
    expect(() => chunkOptions(parse(['--chunk-sec', '10', '--stride-sec', '5']))).toThrow(
      expect.objectContaining({ code: 'CLI_USAGE', message: expect.stringMatching(/--chunk-sec .*--stride-sec/) }),
    );
    expect(() => chunkOptions(parse(['--chunk-sec', '8']))).toThrow(expect.objectContaining({ code: 'CLI_USAGE' }));
  });
});
