import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultModelPath } from '@asrq/fixtures';
import { describe, expect, it } from 'vitest';
import { assertDemoOutputFree } from './demo-output.js';
import { useTempDirs } from '@asrq/test-temp';

const { tempDir } = useTempDirs();

async function folder(files: Record<string, string>): Promise<string> {
  const dir = await tempDir('asrq-demo-out-');
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

describe('assertDemoOutputFree', () => {
  it('refuses a folder holding files the demo writes (report.html, model.int8.onnx) unless --force', async () => {
    const dir = await folder({ 'report.html': 'mine', 'notes.txt': 'mine' });
    const int8 = join(dir, 'model.int8.onnx');
    await expect(assertDemoOutputFree(dir, int8, false)).rejects.toThrow(
      expect.objectContaining({
        code: 'CLI_OUTPUT_EXISTS',
        message: expect.stringMatching(/report\.html, which the demo would overwrite\. Pass --force/),
      }),
    );
    await expect(assertDemoOutputFree(dir, int8, true)).resolves.toBeUndefined();
    const model = await folder({ 'model.int8.onnx': 'mine' });
    await expect(assertDemoOutputFree(model, join(model, 'model.int8.onnx'), false)).rejects.toThrow(/model\.int8/);
  });

  it('accepts a new or unrelated folder, and the folder of an earlier demo', async () => {
    const fresh = join(await folder({}), 'new');
    await expect(assertDemoOutputFree(fresh, join(fresh, 'model.int8.onnx'), false)).resolves.toBeUndefined();
    const other = await folder({ 'notes.txt': 'mine' });
    await expect(assertDemoOutputFree(other, join(other, 'model.int8.onnx'), false)).resolves.toBeUndefined();
    const earlier = await folder({ 'report.html': 'demo', 'model.int8.onnx': 'demo' });
    const int8 = join(earlier, 'model.int8.onnx');
    const header = { kind: 'header', version: 3, config: { models: [defaultModelPath, int8] }, startedAt: '' };
    await writeFile(join(earlier, 'results.jsonl'), `${JSON.stringify(header)}\n`);
    await expect(assertDemoOutputFree(earlier, int8, false)).resolves.toBeUndefined();
  });
});
