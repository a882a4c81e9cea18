import { QuantizeError } from '../errors.js';
import type { Calibrator } from './calibrator.js';
import { entropyCalibrator } from './entropy.js';
import { minmaxCalibrator } from './minmax.js';
import { percentileCalibrator } from './percentile.js';

/**
 * Every calibrator, in the order help texts list them. Adding one is a file in this folder
 * implementing {@link Calibrator} and one entry here: plan validation, the JSON Schema,
 * {@link CalibratorKind}, calibration and the CLI's choices all follow from this list.
 */
export const CALIBRATORS = [minmaxCalibrator, percentileCalibrator, entropyCalibrator] as const;

/** Name of a registered activation range estimator (`minmax`, `percentile`, `entropy`). */
export type CalibratorKind = (typeof CALIBRATORS)[number]['name'];

type NamesOf<T extends readonly Calibrator[]> = { readonly [K in keyof T]: T[K]['name'] };

/**
 * The registered calibrator names, in registry order: what plans and `--calibrator` accept.
 * @example
 * ```ts
 * CALIBRATOR_NAMES; // ['minmax', 'percentile', 'entropy']
 * ```
 */
export const CALIBRATOR_NAMES = CALIBRATORS.map((c) => c.name) as unknown as NamesOf<typeof CALIBRATORS>;

/** Calibrator of static rules that name none (in the rule or in `calibration.calibrator`). */
export const DEFAULT_CALIBRATOR: CalibratorKind = 'minmax';

/**
 * Looks a calibrator up by name.
 * @param name - A registered name.
 * @returns The calibrator.
 * @throws QuantizeError `QUANT_BAD_PLAN` when no calibrator has that name.
 */
export function calibratorFor(name: string): Calibrator {
  const found = CALIBRATORS.find((c) => c.name === name);
  if (!found)
    throw new QuantizeError(
      'QUANT_BAD_PLAN',
      `unknown calibrator ${JSON.stringify(name)} (known: ${CALIBRATOR_NAMES.join(', ')}).`,
      { location: name },
    );
  return found;
}
