import { throwIfAborted } from '@asrq/core';
import { encodeModel, type OnnxModel, type ValueInfo } from '@asrq/onnx';
import { InferenceSession, type Tensor } from 'onnxruntime-node';
import { QuantizeError } from './errors.js';
import { entropyRange, percentileRange, StreamingHistogram } from './histogram.js';
import type { CalibratorKind } from './plan.js';
import type { Range } from './static.js';

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

/**
 * Observes activation ranges by running the float model on calibration samples. The observed
 * tensors become extra graph outputs of a temporary in-memory copy; each batch only updates
 * per-tensor statistics (min/max or a fixed-size histogram), so memory does not grow with the
 * number of samples.
 *
 * @param model - The float model (not modified).
 * @param tensors - Float activation tensors to observe.
 * @param data - Samples.
 * @param options - Calibrators, sample limit, progress, cancellation.
 * @returns The range of every tensor.
 * @throws QuantizeError `QUANT_NEEDS_CALIBRATION` when the data yields no sample.
 */
export async function calibrate(model: OnnxModel, tensors: string[], data: CalibrationData, options: CalibrateOptions): Promise<Map<string, Range>> {
  const graph = model.proto.graph!;
  const existing = new Set((graph.output ?? []).map((o) => o.name));
  const extra: ValueInfo[] = tensors.filter((t) => !existing.has(t)).map((name) => ({ name, type: { tensor_type: { elem_type: 1 } } }));
  const outputs = graph.output;
  graph.output = [...(outputs ?? []), ...extra];
  let bytes: Uint8Array;
  try {
    bytes = encodeModel(model);
  } finally {
    graph.output = outputs;
  }
  const session = await InferenceSession.create(bytes, { graphOptimizationLevel: 'basic' });
  const minmax = new Map<string, Range>();
  const histograms = new Map<string, StreamingHistogram>();
  for (const t of tensors) {
    if ((options.calibrators.get(t) ?? 'minmax') === 'minmax') minmax.set(t, { min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY });
    else histograms.set(t, new StreamingHistogram());
  }
  let done = 0;
  try {
    for await (const feeds of data as AsyncIterable<Feeds>) {
      throwIfAborted(options.signal);
      if (options.maxSamples !== undefined && done >= options.maxSamples) break;
      const result = await session.run(feeds, tensors);
      for (const t of tensors) {
        const out = result[t];
        if (!out) continue;
        const values = out.data as Float32Array;
        const r = minmax.get(t);
        if (r) {
          for (let i = 0; i < values.length; i++) {
            const v = values[i]!;
            if (v < r.min) r.min = v;
            if (v > r.max) r.max = v;
          }
        } else histograms.get(t)!.add(values);
        out.dispose();
      }
      done++;
      options.onSample?.(done);
    }
  } finally {
    await session.release();
  }
  if (done === 0) {
    throw new QuantizeError('QUANT_NEEDS_CALIBRATION', `Calibration data for ${model.name} yielded no sample; give at least one utterance (e.g. --calib <corpus> --calib-n 10).`);
  }
  const ranges = new Map<string, Range>(minmax);
  for (const [t, h] of histograms) {
    ranges.set(t, options.calibrators.get(t) === 'entropy' ? entropyRange(h) : percentileRange(h, options.percentile ?? 99.999));
  }
  return ranges;
}
