/**
 * Node-only helpers of @asrq/metrics: reading transcript files and writing score reports
 * atomically. Everything else in the package is pure.
 * @packageDocumentation
 */
export { readTranscriptFile, scoreTranscriptFiles } from './transcript-files.js';
export { writeScoreReports } from './score-report-files.js';
