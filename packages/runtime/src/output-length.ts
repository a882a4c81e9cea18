/** Output frames a model gives for a number of valid input frames. */
export type OutputLengthFn = (inputFrames: number) => number;

const MAX_PERIOD = 16;

/**
 * Learns how a model's strided layers map input frames to output frames, for feature models
 * that export no lengths output (NeMo's own exports): without it, the valid output frames of a
 * padded input (NeMo's extra masked STFT frame, `pad_to`, a longer row of a batch) can only be
 * estimated by proportion, which is one frame off at some lengths. Strided convolution stacks
 * (`floor((L + 2p - k) / s) + 1` per layer) are periodic: after some length L0,
 * `f(L + P) = f(L) + 1` with P the total stride. The probe runs the model on silence of a few
 * small lengths (cheap) and fits that form; it gives up (returns undefined) when no period up to
 * 16 explains what it saw.
 *
 * @param probe - Runs the model on `frames` input frames and returns its output frame count (0 when it cannot run).
 * @param firstFrames - The smallest input length worth trying.
 * @returns The fitted function, or undefined.
 * @example
 * ```ts
 * const f = await fitOutputLength(async (n) => Math.ceil(Math.ceil(n / 2) / 2), 1);
 * f!(150); // 38
 * ```
 */
export async function fitOutputLength(
  probe: (frames: number) => Promise<number>,
  firstFrames = 1,
): Promise<OutputLengthFn | undefined> {
  let start = Math.max(1, firstFrames);
  let first = await probe(start);
  while (first < 1 && start < 4 * MAX_PERIOD) first = await probe(++start);
  if (first < 1) return undefined;
  const seen: number[] = [first];
  for (let i = 1; i < 2 * MAX_PERIOD; i++) seen.push(await probe(start + i));
  for (let period = 1; period <= MAX_PERIOD; period++) {
    let fits = true;
    for (let i = 0; i + period < seen.length && fits; i++) fits = seen[i + period] === seen[i]! + 1;
    if (!fits) continue;
    const base = seen.slice(0, period);
    return (frames) => {
      if (frames < start) return 0;
      const steps = Math.floor((frames - start) / period);
      return base[(frames - start) % period]! + steps;
    };
  }
  return undefined;
}
