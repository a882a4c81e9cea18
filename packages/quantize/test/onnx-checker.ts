import { spawnSync } from 'node:child_process';

/** A Python with the `onnx` package, and the newest ai.onnx opset its checker knows. */
export interface OnnxChecker {
  python: string;
  version: string;
  maxOpset: number;
}

/**
 * The onnx checker the tests can use: `ASRQ_PYTHON` (set by .ci/run to a venv with onnx 1.23 from
 * the wheel folder on disk, when there is one), else Debian's python3-onnx (which knows opsets up
 * to 17). Undefined when neither imports onnx.
 */
export const onnxChecker: OnnxChecker | undefined = (() => {
  for (const python of [process.env.ASRQ_PYTHON, '/usr/bin/python3'].filter((p): p is string => Boolean(p))) {
    const r = spawnSync(python, ['-c', 'import onnx; print(onnx.__version__, onnx.defs.onnx_opset_version())'], {
      encoding: 'utf8',
    });
    if (r.status === 0) {
      const [version, maxOpset] = r.stdout.trim().split(/\s+/);
      return { python, version: version!, maxOpset: Number(maxOpset) };
    }
  }
  return undefined;
})();

/**
 * Runs `onnx.checker.check_model(full_check=True)` on a model file.
 * @param path - The model.
 * @returns Empty when it passes, else the checker's message.
 */
export function checkModel(path: string): string {
  if (!onnxChecker) throw new Error('no python with onnx');
  const r = spawnSync(
    onnxChecker.python,
    ['-c', 'import onnx,sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)', path],
    { encoding: 'utf8' },
  );
  return r.status === 0 ? '' : r.stderr.trim().split('\n').slice(-3).join('\n');
}
