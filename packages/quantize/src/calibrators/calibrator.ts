import type { Range } from '../range.js';

/** Settings every calibrator may read (from the plan's `calibration` block). */
export interface CalibratorSettings {
  /** Percentile of the percentile calibrator, e.g. 99.999. */
  percentile: number;
}

/** Statistics of one activation tensor, gathered batch by batch during calibration. */
export interface RangeCollector {
  /**
   * Takes one batch of the tensor's values. Memory must not grow with the number of batches.
   * @param values - The tensor's values for one calibration sample.
   */
  add(values: Float32Array): void;
  /** @returns The range the int8 scale and zero point are computed from. */
  range(): Range;
}

/**
 * An activation range estimator of static quantization: one file per calibrator in
 * `src/calibrators/`, listed once in `registry.ts`. Plans name it by `name`.
 * @example
 * ```ts
 * const collector = minmaxCalibrator.collect({ percentile: 99.999 });
 * collector.add(Float32Array.of(-1, 2));
 * collector.range(); // { min: -1, max: 2 }
 * ```
 */
export interface Calibrator<Name extends string = string> {
  /** The name plans and the CLI use (`calibrator: "entropy"`). */
  readonly name: Name;
  /** One line for help texts and docs. */
  readonly summary: string;
  /**
   * Starts collecting statistics for one tensor.
   * @param settings - Plan-wide calibration settings.
   * @returns A fresh collector.
   */
  collect(settings: CalibratorSettings): RangeCollector;
}
