import { AsrqError } from '@asrq/core';
import { openSession, type SessionSettings } from '@asrq/runtime';
import type { InferenceSession } from 'onnxruntime-node';

/**
 * Calibration runs the float model with extra outputs: 'basic' optimisation (no fusions that
 * would hide the observed tensors) and onnxruntime's own intra-op thread count (threads 0).
 */
export const CALIBRATION_SESSION: SessionSettings = { threads: 0, graphOptimizationLevel: 'basic' };

/** Validation and sensitivity compare float and int8 outputs: one thread, every optimisation (as inference runs them). */
export const COMPARISON_SESSION: SessionSettings = { threads: 1, graphOptimizationLevel: 'all' };

/**
 * Opens an onnxruntime session through runtime's {@link openSession}. A model onnxruntime
 * refuses surfaces as onnxruntime's own error (the `cause` of `RUNTIME_BAD_MODEL`), which
 * quantize's callers wrap in their own codes and messages.
 * @param model - ONNX file path or serialized bytes.
 * @param settings - Session settings.
 * @returns The session.
 * @throws The onnxruntime error when the model does not load.
 */
export async function openQuantizeSession(
  model: string | Uint8Array,
  settings: SessionSettings,
): Promise<InferenceSession> {
  try {
    return (await openSession(model, settings)).session;
  } catch (error) {
    throw AsrqError.isInstance(error) && error.code === 'RUNTIME_BAD_MODEL' && error.cause !== undefined
      ? error.cause
      : error;
  }
}
