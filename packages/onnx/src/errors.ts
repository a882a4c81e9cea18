import { AsrqError } from '@asrq/core';

/**
 * Errors of ONNX model reading, writing and selection. Codes: `ONNX_READ_FAILED` (file missing or
 * unreadable), `ONNX_NOT_A_MODEL` (bytes are not an ONNX ModelProto), `ONNX_EXTERNAL_DATA` (an
 * external-data file is missing or too short), `ONNX_UNSUPPORTED` (a tensor type asrq cannot read),
 * `ONNX_WRITE_FAILED`, `ONNX_BAD_SELECTOR`.
 *
 * @example
 * ```ts
 * try { await readModel('m.onnx'); } catch (e) { if (OnnxError.isInstance(e)) console.error(e.code); }
 * ```
 */
export class OnnxError extends AsrqError {}
