/**
 * Shared foundations of asrq: the typed error base class and seeded sampling.
 * File-system helpers live in `@asrq/core/node`.
 * @packageDocumentation
 */
export {
  AsrqError,
  type AsrqErrorOptions,
  type ErrorCodeInfo,
  type ErrorCodeTable,
  type ExitCategory,
} from './errors.js';
export { createError, errorCode, type AsrqErrorClass, type ErrorCodeSpec } from './error-spec.js';
export { CoreError, coreErrorCodes, throwIfAborted, type CoreErrorCode } from './core-errors.js';
export { seededRandom, seededSample } from './random.js';
export { parseStructuredText } from './structured-text.js';
export { decodeUtf8 } from './utf8.js';
