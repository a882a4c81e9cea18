import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultModelPath } from '@asrq/fixtures';
import { describe, expect, it } from 'vitest';
import { assertOutputCompanionsMatch } from './tokenizer-copy.js';

async function modelFolder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'asrq-companions-'));
  await copyFile(defaultModelPath, join(dir, 'model.onnx'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

describe('assertOutputCompanionsMatch', () => {
  it("refuses an output folder holding another model's tokens.txt or preprocessor_config.json", async () => {
    const input = join(await modelFolder({ 'tokens.txt': '<blk> 0\na 1\n' }), 'model.onnx');
    const out = await mkdtemp(join(tmpdir(), 'asrq-companions-out-'));
    await writeFile(join(out, 'tokens.txt'), '<blk> 0\nb 1\n');
    await expect(assertOutputCompanionsMatch(input, join(out, 'q.onnx'))).rejects.toThrow(
      expect.objectContaining({
        code: 'CLI_FOREIGN_COMPANION',
        message: expect.stringContaining(`${join(out, 'tokens.txt')} is not from ${input}`),
      }),
    );
    // The same tokenizer is fine, and so is a tokenizer the user names.
    await writeFile(join(out, 'tokens.txt'), '<blk> 0\na 1\n');
    await expect(assertOutputCompanionsMatch(input, join(out, 'q.onnx'))).resolves.toBeUndefined();
    await writeFile(join(out, 'preprocessor_config.json'), '{"do_normalize": true}');
    await expect(assertOutputCompanionsMatch(input, join(out, 'q.onnx'))).rejects.toThrow(
      /no preprocessor_config\.json beside it/,
    );
  });

  it('accepts an empty output folder, the input folder itself, and an explicit tokenizer equal to the one there', async () => {
    const dir = await modelFolder({ 'tokens.txt': '<blk> 0\na 1\n' });
    const input = join(dir, 'model.onnx');
    const empty = join(await mkdtemp(join(tmpdir(), 'asrq-companions-out-')), 'sub');
    await mkdir(empty, { recursive: true });
    await expect(assertOutputCompanionsMatch(input, join(empty, 'q.onnx'))).resolves.toBeUndefined();
    await expect(assertOutputCompanionsMatch(input, join(dir, 'q.onnx'))).resolves.toBeUndefined();
    await writeFile(join(empty, 'tokens.txt'), 'x 0\n');
    await writeFile(join(dir, 'mine.txt'), 'x 0\n');
    await expect(
      assertOutputCompanionsMatch(input, join(empty, 'q.onnx'), join(dir, 'mine.txt')),
    ).resolves.toBeUndefined();
  });
});
