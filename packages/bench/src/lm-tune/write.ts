import { join } from 'node:path';
import { writeFileAtomic } from '@asrq/core/node';
import { lmTuneHeatmapHtml } from './heatmap.js';
import type { TuneLmResult } from './tune.js';

/**
 * The tuned weights as `--lm-params` reads them (`best.json`), with what they were tuned on.
 * @param result - From {@link tuneLm}.
 * @returns The object `best.json` holds.
 */
export function lmTuneBest(result: TuneLmResult) {
  return {
    alpha: result.best.alpha,
    beta: result.best.beta,
    wer: result.best.wer,
    defaultWer: result.defaultWer,
    utterances: result.utterances,
    lm: result.lm,
    model: result.model,
    data: result.data,
    beam: result.beam,
    points: result.surface.length,
    seconds: result.seconds,
  };
}

/**
 * Writes an LM tuning's reports atomically into `outDir`: `best.json` ({@link lmTuneBest}, for
 * `asrq transcribe --lm-params`), `surface.json` (every evaluated point) and `surface.html` (the
 * WER surface as a heat map).
 * @param outDir - Output directory (created if missing).
 * @param result - From {@link tuneLm}.
 * @returns The paths written.
 * @example
 * ```ts no-run
 * await writeLmTuneReports('asrq-lm-tune', await tuneLm(options));
 * ```
 */
export async function writeLmTuneReports(outDir: string, result: TuneLmResult): Promise<string[]> {
  const files: Array<[string, string]> = [
    ['best.json', `${JSON.stringify(lmTuneBest(result), null, 2)}\n`],
    [
      'surface.json',
      `${JSON.stringify({ best: result.best, defaultWer: result.defaultWer, points: result.surface }, null, 2)}\n`,
    ],
    [
      'surface.html',
      lmTuneHeatmapHtml(result.surface, result.best, `LM weights on ${result.utterances} utterances of ${result.data}`),
    ],
  ];
  for (const [name, text] of files) await writeFileAtomic(join(outDir, name), text);
  return files.map(([name]) => join(outDir, name));
}
