import { createRequire } from 'node:module';

/**
 * The version of onnxruntime-node this package runs models with, for reports.
 * @returns e.g. `1.30.0`.
 */
export function onnxruntimeVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('onnxruntime-node/package.json') as { version: string }).version;
}
