import { throwIfAborted } from '@asrq/core';
import type { OnnxModel, ValueInfo } from '@asrq/onnx';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import type { RangeCollector } from './calibrators/calibrator.js';
import { calibratorFor, DEFAULT_CALIBRATOR, type CalibratorKind } from './calibrators/registry.js';
import { PLAN_DEFAULTS } from './defaults.js';
import { QuantizeError } from './errors.js';
import { hasFloat16, upcastFloat16 } from './float16-upcast.js';
import { cloneModel, Scratch, sessionSource } from './model-source.js';
import { CALIBRATION_SESSION, openQuantizeSession } from './sessions.js';
import type { Range } from './range.js';

/** Model input feeds, one calibration sample each. */
export type Feeds = Record<string, Tensor>;
/** Calibration samples: any (async) iterable of feeds. */
export type CalibrationData = AsyncIterable<Feeds> | Iterable<Feeds>;

/** Options of {@link calibrate}. */
export interface CalibrateOptions {
  /** Calibrator per tensor (default `minmax`). */
  calibrators: Map<string, CalibratorKind>;
  /** Use at most this many samples. */
  maxSamples?: number;
  /** Percentile of the percentile calibrator (default 99.999). */
  percentile?: number;
  onSample?: (done: number) => void;
  signal?: AbortSignal;
}

/** The float model with the observed tensors as extra outputs, as session input (the model itself is left as it was). */
async function withObservedOutputs(
  model: OnnxModel,
  tensors: string[],
  scratch: Scratch,
): Promise<Uint8Array | string> {
  const graph = model.proto.graph!;
  const existing = new Set((graph.output ?? []).map((o) => o.name));
  const extra: ValueInfo[] = tensors
    .filter((t) => !existing.has(t))
    .map((name) => ({ name, type: { tensor_type: { elem_type: 1 } } }));
  const outputs = graph.output;
  graph.output = [...(outputs ?? []), ...extra];
  try {
    return await sessionSource(model, scratch.dir, 'calibration.onnx');
  } finally {
    graph.output = outputs;
  }
}

/** Runs every sample and hands each observed tensor to its collector; returns the number of samples run. */
async function observe(
  session: InferenceSession,
  collectors: Map<string, RangeCollector>,
  data: CalibrationData,
  options: CalibrateOptions,
): Promise<number> {
  const tensors = [...collectors.keys()];
  let done = 0;
  for await (const feeds of data as AsyncIterable<Feeds>) {
    throwIfAborted(options.signal);
    if (options.maxSamples !== undefined && done >= options.maxSamples) break;
    const result = await session.run(feeds, tensors);
    for (const t of tensors) {
      const out = result[t];
      if (!out) continue;
      collectors.get(t)!.add(out.data as Float32Array);
      out.dispose();
    }
    done++;
    options.onSample?.(done);
  }
  return done;
}

/**
 * Observes activation ranges by running the float model on calibration samples. The observed
 * tensors become extra graph outputs of a temporary in-memory copy; each batch only updates
 * per-tensor statistics (min/max or a fixed-size histogram, see `src/calibrators/`), so memory
 * does not grow with the number of samples.
 *
 * @param model - The float model (not modified).
 * @param tensors - Float activation tensors to observe.
 * @param data - Samples.
 * @param options - Calibrators, sample limit, progress, cancellation.
 * @returns The range of every tensor.
 * @throws QuantizeError `QUANT_NEEDS_CALIBRATION` when the data yields no sample.
 */
export async function calibrate(
  model: OnnxModel,
  tensors: string[],
  data: CalibrationData,
  options: CalibrateOptions,
): Promise<Map<string, Range>> {
  const settings = { percentile: options.percentile ?? PLAN_DEFAULTS.percentile };
  const collectors = new Map<string, RangeCollector>();
  for (const t of tensors)
    collectors.set(t, calibratorFor(options.calibrators.get(t) ?? DEFAULT_CALIBRATOR).collect(settings));
  // A model too large for one protobuf goes through a temporary file with external data, kept until the session ends.
  const scratch = new Scratch('asrq-calibration-');
  let done: number;
  try {
    // A float16 model is observed in its float32 form: the form quantizeModel rewrites, with float32 tensors.
    const observed = hasFloat16(model) ? cloneModel(model) : model;
    if (observed !== model) upcastFloat16(observed);
    const session = await openQuantizeSession(
      await withObservedOutputs(observed, tensors, scratch),
      CALIBRATION_SESSION,
    );
    try {
      done = await observe(session, collectors, data, options);
    } finally {
      await session.release();
    }
  } finally {
    await scratch.dispose();
  }
  if (done === 0) {
    throw new QuantizeError(
      'QUANT_NEEDS_CALIBRATION',
      `Calibration data for ${model.name} yielded no sample; give at least one utterance (\`calibration\`).`,
      { argument: 'calibration' },
    );
  }
  return new Map([...collectors].map(([t, c]) => [t, c.range()]));
}
