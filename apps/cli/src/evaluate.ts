/**
 * The WER evaluator `asrq sensitivity --eval` uses: bench's, so sensitivity, the benchmark and
 * the plan search score WER with one pipeline.
 */
export { createWerEvaluator, type WerEvaluatorOptions } from '@asrq/bench';
