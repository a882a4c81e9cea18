import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { defaultModelPath } from '@asrq/fixtures';
import { describe, expect, it } from 'vitest';
import { checkModelCompanions, copyModelCompanions } from './companion-copy.js';
import { useTempDirs } from '@asrq/test-temp';

const { tempDir } = useTempDirs();

async function modelFolder(files: Record<string, string>): Promise<string> {
  const dir = await tempDir('asrq-companions-');
  await copyFile(defaultModelPath, join(dir, 'model.onnx'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

describe('checkModelCompanions', () => {
  it("refuses an output folder holding another model's tokens.txt or preprocessor_config.json", async () => {
    const input = join(await modelFolder({ 'tokens.txt': '<blk> 0\na 1\n' }), 'model.onnx');
    const out = await tempDir('asrq-companions-out-');
    await writeFile(join(out, 'tokens.txt'), '<blk> 0\nb 1\n');
    await expect(checkModelCompanions(input, join(out, 'q.onnx'))).rejects.toThrow(
      expect.objectContaining({
        code: 'RUNTIME_FOREIGN_COMPANION',
        message: expect.stringContaining(`${join(out, 'tokens.txt')} is not from ${input}`),
      }),
    );
    // The same tokenizer is fine, and so is a tokenizer the user names.
    await writeFile(join(out, 'tokens.txt'), '<blk> 0\na 1\n');
    await expect(checkModelCompanions(input, join(out, 'q.onnx'))).resolves.toBeDefined();
    await writeFile(join(out, 'preprocessor_config.json'), '{"do_normalize": true}');
    await expect(checkModelCompanions(input, join(out, 'q.onnx'))).rejects.toThrow(
      /no preprocessor_config\.json beside it/,
    );
  });

  it('accepts an empty output folder, the input folder itself, and an explicit tokenizer equal to the one there', async () => {
    const dir = await modelFolder({ 'tokens.txt': '<blk> 0\na 1\n' });
    const input = join(dir, 'model.onnx');
    const empty = join(await tempDir('asrq-companions-out-'), 'sub');
    await mkdir(empty, { recursive: true });
    await expect(checkModelCompanions(input, join(empty, 'q.onnx'))).resolves.toBeDefined();
    await expect(checkModelCompanions(input, join(dir, 'q.onnx'))).resolves.toBeDefined();
    await writeFile(join(empty, 'tokens.txt'), 'x 0\n');
    await writeFile(join(dir, 'mine.txt'), 'x 0\n');
    await expect(
      checkModelCompanions(input, join(empty, 'q.onnx'), { tokenizer: join(dir, 'mine.txt') }),
    ).resolves.toBeDefined();
  });

  it('copies the tokenizer and front-end files that are missing beside the output, exactly what the check announced, never overwriting', async () => {
    const dir = await modelFolder({
      'tokens.txt': '<blk> 0\na 1\n',
      'preprocessor_config.json': '{"do_normalize": true}',
    });
    const input = join(dir, 'model.onnx');
    const out = join(await tempDir('asrq-companions-out-'), 'q.onnx');
    const planned = await checkModelCompanions(input, out);
    expect(planned.map((c) => c.to)).toEqual([
      join(dirname(out), 'preprocessor_config.json'),
      join(dirname(out), 'tokens.txt'),
    ]);
    expect(await copyModelCompanions(input, out)).toEqual(planned);
    expect(await readFile(join(dirname(out), 'tokens.txt'), 'utf8')).toBe('<blk> 0\na 1\n');
    expect(await copyModelCompanions(input, out)).toEqual([]);
    expect(await checkModelCompanions(input, out)).toEqual([]);
    expect(await copyModelCompanions(input, join(dir, 'q.onnx'))).toEqual([]);
  });
});
