/** A calibrated activation range. */
export interface Range {
  min: number;
  max: number;
}
