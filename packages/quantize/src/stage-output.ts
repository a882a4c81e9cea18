import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { OnnxError, writeModel, type OnnxModel } from '@asrq/onnx';

function writeFailed(output: string, cause: unknown, what = 'Choose a writable output folder.'): OnnxError {
  if (OnnxError.isInstance(cause)) return cause;
  return new OnnxError('ONNX_WRITE_FAILED', `Cannot write ${output}: ${(cause as Error).message}. ${what}`, {
    cause,
    location: output,
  });
}

/**
 * Refuses an output path that is an existing folder, before any work.
 * @param output - The path given for the quantized model.
 * @throws OnnxError `ONNX_WRITE_FAILED` naming it and what to give instead.
 */
export async function checkOutputPath(output: string): Promise<void> {
  const info = await stat(output).catch(() => undefined);
  if (info?.isDirectory())
    throw new OnnxError(
      'ONNX_WRITE_FAILED',
      `Cannot write ${output}: it is a folder. Give a file path for the quantized model, e.g. ${join(output, 'model.int8.onnx')}.`,
      { location: output },
    );
}

/**
 * Writes the model into a new folder beside `output` (the same file system, so moving it into
 * place is a rename); the folder is removed again when writing fails.
 * @param model - The quantized model.
 * @param output - Where it will go.
 * @param threshold - External-data threshold (default: writeModel's).
 * @returns The staged .onnx path.
 * @throws OnnxError `ONNX_WRITE_FAILED` naming `output`.
 */
export async function stageModel(model: OnnxModel, output: string, threshold: number | undefined): Promise<string> {
  let dir: string;
  try {
    await mkdir(dirname(output), { recursive: true });
    dir = await mkdtemp(join(dirname(output), `.${basename(output)}.staged-`));
  } catch (cause) {
    throw writeFailed(output, cause);
  }
  const path = join(dir, basename(output));
  try {
    await writeModel(model, path, threshold === undefined ? {} : { externalDataThreshold: threshold });
  } catch (cause) {
    await rm(dir, { recursive: true, force: true });
    throw writeFailed(output, cause, 'Check the free space and permissions of its folder.');
  }
  return path;
}

/**
 * Moves the staged files into place: the data file first, so the .onnx never points at a missing
 * one; a `<output>.data` left from an earlier run with external data is removed when the new
 * model has none (nothing refers to it any more).
 * @param staged - From {@link stageModel}.
 * @param output - The final path.
 * @returns Whether the output has an external-data file.
 * @throws OnnxError `ONNX_WRITE_FAILED` naming `output`.
 */
export async function publishModel(staged: string, output: string): Promise<boolean> {
  const dir = dirname(staged);
  const files = (await readdir(dir)).sort((a, b) => Number(b.endsWith('.data')) - Number(a.endsWith('.data')));
  const hasData = files.some((f) => f.endsWith('.data'));
  try {
    for (const f of files) await rename(join(dir, f), join(dirname(output), f));
    if (!hasData) await rm(`${output}.data`, { force: true });
  } catch (cause) {
    throw writeFailed(output, cause);
  }
  return hasData;
}
