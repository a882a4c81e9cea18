import { resolve } from 'node:path';
import {
  fixedPlannerTiming,
  formatAutoPlanReport,
  searchPlan,
  writeAutoPlanReports,
  type AutoPlanResult,
  type SearchPlanOptions,
  type SearchProgress,
} from '@asrq/planner';
import { calibrationFeeds, checkModelCompanions } from '@asrq/runtime';
import { modelOverrides, type ModelOverrideFlags } from '../options/model.js';
import { createProgressBar, note, print, type OutputMode, type ProgressBar } from '../output.js';
import { withAbort } from '../signals.js';
import type { autoOptions, QuantizeFlags } from '../options/quantize.js';
import { CliError } from '../errors.js';

/** Flags of `asrq quantize --auto`. */
export type AutoFlags = Pick<
  QuantizeFlags,
  'output' | 'calib' | 'calibN' | 'seed' | keyof typeof autoOptions | 'json' | 'quiet'
> &
  ModelOverrideFlags;

/**
 * Runs the automatic plan search and writes the model, its plan file and the search report.
 * @param input - Float model.
 * @param flags - Parsed options.
 */
export async function runAutoPlan(input: string, flags: AutoFlags): Promise<void> {
  const mode: OutputMode = { json: Boolean(flags.json), quiet: Boolean(flags.quiet || flags.json) };
  const { calib, evalCorpus } = requireCorpora(flags);
  const output = resolve(flags.output);
  const workDir = `${output}.auto`;
  const tokenizer = flags.tokenizer ? resolve(flags.tokenizer) : undefined;
  // The search copies these beside the output with the model.
  await checkModelCompanions(input, output, tokenizer ? { tokenizer } : {});
  const overrides = modelOverrides(flags);
  const inputs = await calibrationFeeds(input, calib, {
    n: flags.calibN,
    seed: flags.seed,
    ...(overrides ? { overrides } : {}),
  });
  const bar = createProgressBar(mode);
  const result = await withAbort(
    (signal) =>
      searchPlan(input, {
        ...searchSettings(flags, evalCorpus, overrides),
        calibration: () => inputs.calibration,
        sample: inputs.sample,
        workDir,
        output,
        signal,
        onProgress: searchProgress(bar, mode),
        // Reproducible searches (tests, comparing plans across machines): the planner's fixed timings
        // instead of measured ones, so a busy machine cannot change which plan is tried or wins.
        ...(process.env.ASRQ_PLANNER_TIMING === 'fixed' ? { timing: fixedPlannerTiming() } : {}),
      }),
    () => {
      bar.stop();
      note(
        mode,
        `\ninterrupted: the trials so far are journaled in ${workDir}; run the same command with --resume to continue.`,
      );
    },
  );
  bar.stop();
  const written = await writeAutoPlanReports(workDir, result);
  printAutoPlanResult(result, written.html, mode);
}

/** The two corpora `--auto` cannot run without: calibration audio and an evaluation set. */
function requireCorpora(flags: AutoFlags): { calib: string; evalCorpus: string } {
  if (!flags.calib) throw new CliError('CLI_USAGE', '--auto needs calibration audio: pass --calib <corpus>.');
  if (!flags.eval)
    throw new CliError(
      'CLI_USAGE',
      '--auto needs an evaluation corpus to check WER: pass --eval <corpus> (a different set from --calib is best).',
    );
  return { calib: flags.calib, evalCorpus: flags.eval };
}

/** Search options that come straight from the flags (limits, metric, tokenizer, resume, calibration settings). */
function searchSettings(
  flags: AutoFlags,
  evalCorpus: string,
  overrides: ReturnType<typeof modelOverrides>,
): Omit<SearchPlanOptions, 'calibration' | 'sample' | 'workDir' | 'output' | 'signal' | 'onProgress'> {
  return {
    eval: { data: resolve(evalCorpus), n: flags.evalN },
    maxWerIncrease: flags.maxWerIncrease,
    metric: flags.metric,
    ...(flags.minSqnr === undefined ? {} : { minSqnrDb: flags.minSqnr }),
    ...(flags.maxTrials === undefined ? {} : { maxTrials: flags.maxTrials }),
    ...(flags.maxSize === undefined ? {} : { maxSizeBytes: flags.maxSize }),
    ...(flags.tokenizer ? { tokenizer: resolve(flags.tokenizer) } : {}),
    ...(overrides ? { modelOverrides: overrides } : {}),
    budgetSec: flags.budget,
    resume: Boolean(flags.resume),
    force: Boolean(flags.force),
    calibrationN: flags.calibN,
    calibrationSeed: flags.seed,
    threads: 1,
  };
}

/** Prints the search result: one JSON line with `--json`, else the report table and where the files went. */
function printAutoPlanResult(result: AutoPlanResult, reportHtml: string, mode: OutputMode): void {
  if (mode.json)
    print(
      JSON.stringify({
        model: result.modelPath,
        plan: result.planPath,
        float: result.float,
        best: result.best,
        stoppedBy: result.stoppedBy,
        elapsedSec: result.elapsedSec,
        trials: result.trials.length,
      }),
    );
  else {
    print(formatAutoPlanReport(result));
    note(
      mode,
      `\nmodel: ${result.modelPath}\nplan: ${result.planPath ?? '(not written)'} (reproduce with asrq quantize --plan)\nreports: ${reportHtml}`,
    );
  }
}

/** Renders search progress: bars for sensitivity and measuring, a line per other event. */
function searchProgress(bar: ProgressBar, mode: OutputMode): (e: SearchProgress) => void {
  return (e) => {
    // `ensure`: sensitivity counts from 1, and a note between two events stops the bar.
    if (e.status === 'sensitivity') {
      bar.ensure(e.total, 'sensitivity', e.done);
      bar.update(e.done, `${e.group} ${e.candidate}`);
    } else if (e.status === 'measuring') {
      bar.ensure(e.total, 'measuring  ', e.done);
      bar.update(e.done);
    } else {
      bar.stop();
      if (e.status === 'trial') note(mode, `trial ${e.index}${e.resumed ? ' (from the journal)' : ''}: ${e.summary}`);
      else if (e.status === 'trial-done')
        note(
          mode,
          `  WER ${e.trial.wer?.toFixed(2) ?? '-'} %, speedup ${e.trial.speedup?.toFixed(2) ?? '-'}x, ${e.trial.accepted ? 'accepted' : 'rejected'}`,
        );
      else if (e.status === 'calibrating') note(mode, `calibrating activation ranges (${e.calibrator})`);
      else if (e.status === 'profiling') note(mode, 'profiling the float model (time share per module)');
      else if (e.status === 'probing') note(mode, `timing ${e.models} probe models against float`);
      else if (e.status === 'finalists')
        note(mode, `measuring the ${e.count} equally fast accepted plans against each other in one run`);
      else if (e.status === 'ranked') note(mode, `ranked ${e.moves} back-off moves over ${e.groups} module groups`);
      else if (e.status === 'stale-lock')
        note(mode, `note: taking over ${e.path}, left by process ${e.pid ?? '?'}, which is no longer running.`);
    }
  };
}
