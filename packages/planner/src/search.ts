import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { throwIfAborted } from '@asrq/core';
import { writeFileAtomic } from '@asrq/core/node';
import { decodeModel } from '@asrq/onnx';
import type { QuantPlan } from '@asrq/quantize';
import { CtcModel } from '@asrq/runtime';
import { PlannerError } from './errors.js';
import { candidateKey, compilePlan, findGroups, modulePaths, type Assignment, type NodeGroup } from './groups.js';
import { appendSearchJournal, assertSameSearch, readSearchJournal, startSearchJournal, type SearchSettings } from './journal.js';
import { paretoFront, rankBackoff } from './ranking.js';
import type { AutoPlanResult, SearchPlanOptions } from './search-types.js';
import { measureSignals } from './signals.js';
import { realPlannerTiming } from './timing.js';
import { compareFinalists, measureTrial, planKey, type FinalistSpeed, type TrialContext } from './trial.js';
import type { Trial } from './types.js';
import { calibrateBank, runOnce } from './variants.js';

function describe(groups: readonly NodeGroup[], assignment: Assignment): string {
  const short = (id: string): string => id.split('|')[0]!.split('.').slice(-2).join('.') + (id.endsWith('|act-matmul') ? ' (attn)' : id.endsWith('|conv') ? ' (conv)' : '');
  const counts = new Map<string, number>();
  for (const c of Object.values(assignment)) counts.set(candidateKey(c), (counts.get(candidateKey(c)) ?? 0) + 1);
  const floatGroups = groups.filter((g) => !assignment[g.id]).map((g) => short(g.id));
  return `${[...counts].map(([k, n]) => `${k}×${n}`).join(', ') || 'nothing quantized'}; float: ${floatGroups.join(', ') || 'none'}`;
}

function check(options: SearchPlanOptions): void {
  const bad = (what: string, message: string): never => {
    throw new PlannerError('PLANNER_BAD_OPTION', `${what} ${message}`, { location: what });
  };
  if (!(options.maxWerIncrease >= 0)) bad('maxWerIncrease', `must be 0 or more WER points (e.g. 0.3), got ${options.maxWerIncrease}.`);
  if (!(options.budgetSec > 0)) bad('budgetSec', `must be a positive number of seconds (e.g. 1200 for --budget 20m), got ${options.budgetSec}.`);
  if (!Number.isInteger(options.eval.n) || options.eval.n < 1) bad('eval.n', `must be a positive integer, got ${options.eval.n}.`);
  if (options.metric !== 'wer' && options.metric !== 'sqnr') bad('metric', `must be "wer" or "sqnr", got ${String(options.metric)}.`);
}

/**
 * Searches for the fastest quantization plan whose WER increase over the float model stays
 * within `maxWerIncrease` on the eval set. Cheap signals first (per-group time share from the
 * onnxruntime profiler, measured family speed gains, per-group output SQNR), which rank the
 * back-off moves from the most aggressive plan towards float; then bisection over the number of
 * moves, each plan confirmed with real WER and RTF (interleaved with the float model, 1 thread).
 * Every trial is journaled in `workDir`, so `resume` skips what is done.
 *
 * @param modelPath - Float ONNX model.
 * @param options - Calibration feeds, sample, eval corpus, budget, work directory; see {@link SearchPlanOptions}.
 * @returns The best accepted plan and every trial.
 * @throws PlannerError `PLANNER_BAD_OPTION`, `PLANNER_RESUME_MISMATCH`, `PLANNER_NO_PLAN`; AsrqError `ABORTED`.
 * @example
 * ```ts
 * const { calibration, sample } = await prepareModelInputs('model.onnx', 'dev', { n: 10, seed: 0 });
 * const result = await searchPlan('model.onnx', { calibration: () => calibration, sample, eval: { data: 'dev', n: 100 }, maxWerIncrease: 0.3, metric: 'wer', budgetSec: 1200, workDir: 'auto', output: 'model.int8.onnx' });
 * await writeAutoPlanReports('auto', result);
 * ```
 */
export async function searchPlan(modelPath: string, options: SearchPlanOptions): Promise<AutoPlanResult> {
  check(options);
  const timing = options.timing ?? realPlannerTiming;
  const started = timing.now();
  const elapsed = (): number => (timing.now() - started) / 1000;
  const floatPath = resolve(modelPath);
  const workDir = resolve(options.workDir);
  await mkdir(workDir, { recursive: true });
  const threads = options.threads ?? 1;
  const calibrators = options.calibrators ?? ['minmax', 'percentile', 'entropy'];
  const calibration = { n: options.calibrationN ?? 10, seed: options.calibrationSeed ?? 0 };
  const minSqnrDb = options.minSqnrDb ?? 20;
  const pruneSqnrDb = options.metric === 'sqnr' ? minSqnrDb : options.pruneSqnrDb ?? 10;
  const minTimeShare = options.minTimeShare ?? 0.005;
  const maxTrials = options.maxTrials ?? 8;
  const speedTolerance = options.speedTolerance ?? 0.02;
  // In a joint run with repeats, plans within 0.5 % are still indistinguishable.
  const finalistTolerance = 0.005;
  const evalSettings = { data: resolve(options.eval.data), n: options.eval.n, warmup: options.eval.warmup ?? 2, ...(options.eval.seed === undefined ? {} : { seed: options.eval.seed }) };
  const floatStat = await stat(floatPath);
  const settings: SearchSettings = { model: floatPath, modelBytes: floatStat.size, modelMtimeMs: Math.floor(floatStat.mtimeMs), eval: evalSettings, tokenizer: options.tokenizer ?? null, maxWerIncrease: options.maxWerIncrease, metric: options.metric, minSqnrDb, pruneSqnrDb, minTimeShare, calibrators, calibration, threads, modelOverrides: options.modelOverrides ?? null };

  const journal = join(workDir, 'search.jsonl');
  const previous = options.resume ? await readSearchJournal(journal) : { trials: [] as Trial[] };
  if ('settings' in previous && previous.settings) assertSameSearch(journal, previous.settings, settings);
  else {
    // A new search must not pick up trial models or benchmark journals of an earlier one.
    for (const derived of ['trials', 'finalists', 'models']) await rm(join(workDir, derived), { recursive: true, force: true });
    await startSearchJournal(journal, settings);
  }

  const floatBytes = new Uint8Array(await readFile(floatPath));
  // SQNR is measured on the CTC scores only (an export may have other float outputs).
  const floatModel = await CtcModel.load(floatPath, { session: { graphOptimizationLevel: 'disabled' }, ...(options.modelOverrides ? { overrides: options.modelOverrides } : {}) });
  const scoresOutput = floatModel.info.scoresOutput;
  await floatModel.release();
  const model = decodeModel(floatBytes, { name: floatPath });
  const groups = findGroups(model);
  const allPaths = modulePaths(model);
  const allStatic = compilePlan(groups, Object.fromEntries(groups.map((g) => [g.id, { mode: 'static', calibrator: 'minmax' } as const])), allPaths, calibration);
  const bank = new Map();
  for (const kind of calibrators) {
    options.onProgress?.({ status: 'calibrating', calibrator: kind });
    const one = await calibrateBank(model, allStatic, options.calibration, [kind], calibration.n, options.signal);
    bank.set(kind, one.get(kind)!);
  }
  const progress = options.onProgress ? { onProgress: options.onProgress } : {};
  const abort = options.signal ? { signal: options.signal } : {};
  let signals = 'signals' in previous ? previous.signals : undefined;
  if (!signals) {
    signals = await measureSignals({ floatBytes, scoresOutput, model, name: floatPath, groups, allPaths, bank, sample: options.sample, calibration, calibrators, threads, minTimeShare, dir: workDir, timing, ...progress, ...abort });
    await appendSearchJournal(journal, { kind: 'signals', signals });
  }
  const ranking = rankBackoff(signals.groups, { minSqnrDb: pruneSqnrDb, minSaving: 1e-4 });
  options.onProgress?.({ status: 'ranked', moves: ranking.moves.length, groups: groups.length });

  const ctx: TrialContext = { floatPath, floatBytes, bank, sample: options.sample, scoresOutput, reference: await runOnce(floatBytes, options.sample, threads, scoresOutput), eval: evalSettings, threads, workDir, timing, ...(options.tokenizer ? { tokenizer: options.tokenizer } : {}), ...(options.modelOverrides ? { overrides: options.modelOverrides } : {}), ...progress, ...abort };
  const done = new Map(previous.trials.map((t) => [t.key, t]));
  const trials: Trial[] = [];
  const accept = (t: Omit<Trial, 'accepted'>): boolean => (options.metric === 'sqnr' ? t.sqnrDb >= minSqnrDb : t.werDelta !== undefined && t.werDelta <= options.maxWerIncrease + 1e-9);
  let lastTrialSec = 0;
  let stoppedBy: AutoPlanResult['stoppedBy'] = 'done';
  const planAt = (k: number): QuantPlan => compilePlan(groups, ranking.assignmentAt(k), allPaths, calibration);
  const tryPlan = async (plan: QuantPlan, k: number, summary: string, sqnrOnly: boolean, refinement = false): Promise<Trial | undefined> => {
    const key = planKey(plan);
    const old = done.get(key);
    if (old && (sqnrOnly || old.wer !== undefined)) {
      options.onProgress?.({ status: 'trial', index: trials.length, k, summary, resumed: true });
      trials.push(old);
      return old;
    }
    throwIfAborted(options.signal);
    if (!refinement && trials.length >= maxTrials) return (stoppedBy = 'trials'), undefined;
    if (elapsed() + lastTrialSec > options.budgetSec) {
      // Running out of time while refining leaves the search's outcome as it was.
      if (!refinement) stoppedBy = 'budget';
      return undefined;
    }
    options.onProgress?.({ status: 'trial', index: trials.length, k, summary, resumed: false });
    const measured = await measureTrial(plan, k, summary, ctx, { sqnrOnly, accept });
    const trial = refinement ? { ...measured, refinement: true as const } : measured;
    lastTrialSec = trial.seconds;
    await appendSearchJournal(journal, { kind: 'trial', trial });
    done.set(key, trial);
    trials.push(trial);
    options.onProgress?.({ status: 'trial-done', trial });
    return trial;
  };
  const tryK = (k: number, sqnrOnly: boolean): Promise<Trial | undefined> => tryPlan(planAt(k), k, describe(groups, ranking.assignmentAt(k)), sqnrOnly);

  // The calibrator changes accuracy, not speed (the graph is the same): once the structure is
  // chosen, try the chosen plan with each other calibrator on all its static rules and keep the
  // lowest ΔWER. The refinement trials do not count against maxTrials.
  const refineCalibrators = async (chosen: Trial): Promise<Trial> => {
    if (!chosen.plan.rules.some((r) => r.mode === 'static')) return chosen;
    let bestSoFar = chosen;
    for (const calibrator of calibrators) {
      const plan: QuantPlan = { ...chosen.plan, rules: chosen.plan.rules.map((r) => (r.mode === 'static' ? { ...r, calibrator } : r)) };
      if (planKey(plan) === chosen.key) continue;
      const t = await tryPlan(plan, chosen.k, withCalibrator(chosen.summary, calibrator), false, true);
      if (!t) break;
      if (t.accepted && (t.werDelta ?? Infinity) < (bestSoFar.werDelta ?? Infinity)) bestSoFar = t;
    }
    return bestSoFar;
  };

  // Bisection over k: plan 0 is the most aggressive, plan K (all float) is accepted by definition.
  const sqnrOnly = options.metric === 'sqnr';
  let lo = -1;
  let hi = ranking.moves.length;
  let bestK: number | undefined;
  let probe: number | undefined = 0;
  while (probe !== undefined) {
    const t = await tryK(probe, sqnrOnly);
    if (!t) break;
    if (t.accepted) {
      hi = probe;
      bestK = probe;
    } else lo = probe;
    probe = hi - lo > 1 ? Math.floor((lo + hi) / 2) : undefined;
  }
  if (bestK === undefined) {
    throw new PlannerError('PLANNER_NO_PLAN', `No quantized plan of ${floatPath} met the budget (ΔWER ≤ ${options.maxWerIncrease}${sqnrOnly ? `, SQNR ≥ ${minSqnrDb} dB` : ''}) in ${trials.length} trials (${stoppedBy}). Raise --max-wer-increase or --budget, or use a larger eval set; the journal in ${workDir} lets --resume continue.`, { location: workDir });
  }
  // In sqnr mode the accepted plan is measured once for the report.
  let best = trials.find((t) => t.k === bestK)!;
  let finalists: FinalistSpeed[] | undefined;
  if (sqnrOnly) {
    // Reuse the journaled confirmation on --resume instead of measuring (and journaling) it again.
    const journaled = previous.trials.filter((t) => t.key === best.key && t.wer !== undefined).at(-1);
    const confirmed = journaled ?? (await measureTrial(best.plan, best.k, best.summary, ctx, { sqnrOnly: false, accept: (t) => t.sqnrDb >= minSqnrDb }));
    if (!journaled) await appendSearchJournal(journal, { kind: 'trial', trial: confirmed });
    trials[trials.indexOf(best)] = confirmed;
    best = confirmed;
  } else {
    // Of the accepted trials, those within speedTolerance of the fastest measured speedup are
    // equally fast as far as one run can tell: take the one with the lowest ΔWER among them.
    const accepted = trials.filter((t) => t.accepted);
    const fastest = Math.max(...accepted.map((t) => t.speedup ?? 0));
    const tied = accepted.filter((t) => (t.speedup ?? 0) >= fastest * (1 - speedTolerance));
    // The joint run benchmarks float + every finalist 3 times per utterance, a trial's bench 2 runs.
    const trialSec = Math.max(lastTrialSec, ...trials.map((t) => t.seconds));
    if (tied.length > 1 && elapsed() + (trialSec * (tied.length + 1) * 3) / 2 <= options.budgetSec) {
      // Separate runs cannot rank plans this close: measure the finalists together, then the
      // fastest wins unless the joint run still cannot separate them (then the lowest ΔWER).
      options.onProgress?.({ status: 'finalists', count: tied.length });
      finalists = await compareFinalists(tied, ctx);
      const speedOf = new Map(finalists.map((f) => [f.key, f.speedup]));
      const top = Math.max(...finalists.map((f) => f.speedup));
      const close = tied.filter((t) => speedOf.get(t.key)! >= top * (1 - finalistTolerance));
      best = close.reduce((a, b) => ((b.werDelta ?? 0) < (a.werDelta ?? 0) || ((b.werDelta ?? 0) === (a.werDelta ?? 0) && speedOf.get(b.key)! > speedOf.get(a.key)!) ? b : a));
    } else {
      best = tied.reduce((a, b) => ((b.werDelta ?? 0) < (a.werDelta ?? 0) || ((b.werDelta ?? 0) === (a.werDelta ?? 0) && (b.speedup ?? 0) > (a.speedup ?? 0)) ? b : a));
    }
  }
  if (!sqnrOnly) best = await refineCalibrators(best);
  let outputPath = best.modelPath;
  let planPath: string | undefined;
  if (options.output) {
    outputPath = resolve(options.output);
    await writeFileAtomic(outputPath, await readFile(best.modelPath));
  }
  if (options.output || options.planPath) {
    planPath = resolve(options.planPath ?? `${options.output}.plan.json`);
    await writeFileAtomic(planPath, `${JSON.stringify({ ...best.plan, description: `Found by asrq quantize --auto: ${best.summary}` }, null, 2)}\n`);
  }
  options.onProgress?.({ status: 'done', stoppedBy });
  const measured = trials.filter((t) => t.wer !== undefined && t.rtfEncoder !== undefined) as Array<Trial & { wer: number; rtfEncoder: number }>;
  return {
    plan: best.plan,
    modelPath: outputPath,
    ...(planPath ? { planPath } : {}),
    float: { ...(best.floatWer === undefined ? {} : { wer: best.floatWer }), ...(best.floatRtfEncoder === undefined ? {} : { rtfEncoder: best.floatRtfEncoder }) },
    best,
    trials,
    pareto: paretoFront(measured),
    ...(finalists ? { finalists } : {}),
    stoppedBy,
    signals: signals.groups,
    moves: ranking.moves,
    settings: { metric: options.metric, maxWerIncrease: options.maxWerIncrease, minSqnrDb, eval: evalSettings, threads, budgetSec: options.budgetSec },
    elapsedSec: elapsed(),
  };
}

/** A trial summary with every static calibrator replaced by one, counts merged ("static-minmax×9"). */
function withCalibrator(summary: string, calibrator: string): string {
  const [quantized = '', ...rest] = summary.split('; ');
  const counts = new Map<string, number>();
  for (const part of quantized.split(', ')) {
    const match = /^(.*)×(\d+)$/.exec(part);
    if (!match) continue;
    const name = match[1]!.startsWith('static-') ? `static-${calibrator}` : match[1]!;
    counts.set(name, (counts.get(name) ?? 0) + Number(match[2]));
  }
  return [[...counts].map(([name, n]) => `${name}×${n}`).join(', '), ...rest].join('; ');
}
