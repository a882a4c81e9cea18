/**
 * Automatic quantization plans: the fastest int8 plan of an ONNX CTC model whose WER increase
 * stays within a budget, found by a search guided by cheap signals (time shares from the
 * onnxruntime profiler, per-group output SQNR) and confirmed with real WER and interleaved RTF.
 * @packageDocumentation
 */
export { PlannerError, plannerErrorCodes, type PlannerErrorCode } from './errors.js';
export {
  candidateKey,
  candidatesFor,
  compilePlan,
  findGroups,
  modulePaths,
  type Assignment,
  type Candidate,
  type NodeGroup,
  type OpFamily,
} from './groups.js';
export { assertSameSearch, readSearchJournal, type JournalContents, type SearchSettings } from './journal.js';
export {
  ladder,
  noiseOf,
  paretoFront,
  rankBackoff,
  type BackoffMove,
  type CandidateSignal,
  type GroupSignal,
} from './ranking.js';
export { formatAutoPlanHtml, formatAutoPlanReport, paretoPlot, writeAutoPlanReports } from './report.js';
export { searchPlan } from './search.js';
export type { AutoPlanResult, SearchPlanOptions, SearchProgress } from './search-types.js';
export { compareFinalists, planKey } from './trial.js';
export type { FinalistSpeed } from './search-types.js';
export { fixedPlannerTiming, realPlannerTiming, type FixedTimingOptions, type PlannerTiming } from './timing.js';
export type { Trial } from './types.js';
export { PLANNER_DEFAULTS } from './defaults.js';
