import { AsrqError } from '@asrq/core';

/**
 * Errors of quantization. Codes: `QUANT_BAD_PLAN` (invalid plan file or flags; names the field),
 * `QUANT_NO_MATCH` (a selector matches no node), `QUANT_UNSUPPORTED_NODE` (a selected node has a
 * pattern asrq cannot quantize; names the node and why), `QUANT_NEEDS_CALIBRATION` (static rules
 * without calibration data), `QUANT_OUTPUT_IS_INPUT` (refusing to overwrite the input),
 * `QUANT_VALIDATION_FAILED` (the written model does not load or run in onnxruntime),
 * `QUANT_NOTHING_QUANTIZED` (the plan quantizes no node; nothing is written unless allowed).
 *
 * @example
 * ```ts
 * if (QuantizeError.isInstance(e) && e.code === 'QUANT_NO_MATCH') process.exitCode = 2;
 * ```
 */
export class QuantizeError extends AsrqError {}
