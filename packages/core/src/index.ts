/**
 * Shared foundations of asrq: the typed error base class and seeded sampling.
 * File-system helpers live in `@asrq/core/node`.
 * @packageDocumentation
 */
export { AsrqError, throwIfAborted } from './errors.js';
export { seededRandom, seededSample } from './random.js';
export { parseStructuredText } from './structured-text.js';
