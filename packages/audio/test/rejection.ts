import { AsrqError } from '@asrq/core';

/** Awaits a promise that must reject with an AsrqError and returns that error (for asserting its code and message). */
export async function rejection(promise: Promise<unknown>): Promise<AsrqError> {
  try {
    await promise;
  } catch (error) {
    if (AsrqError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}
