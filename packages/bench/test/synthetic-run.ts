import type { BenchRun } from '../src/types.js';
import type { UtteranceRecord } from '../src/types.js';

function record(model: number, id: string, encoderSec: number[], hyp: string, ref = 'A B C D'): UtteranceRecord {
  return {
    kind: 'utterance',
    model,
    id,
    speaker: id.split('-')[0]!,
    audioSec: 2,
    encoderSec,
    decodeSec: 0.001,
    loadSec: 0.002,
    plumbingSec: 0.0005,
    ref,
    hyp,
  };
}

/** A two-model run with hand-checkable numbers, shared by the report and HTML tests. */
export function syntheticRun(): BenchRun {
  return {
    config: {
      models: ['/m/float.onnx', '/m/int8.onnx'],
      data: '/corpus',
      n: 3,
      warmup: 1,
      repeats: 2,
      threads: 1,
      beam: 1,
      lenient: false,
    },
    records: [
      record(0, '1-1-0', [0.02, 0.022], 'A B C D'),
      record(1, '1-1-0', [0.01, 0.011], 'A B C'),
      record(0, '2-1-0', [0.04, 0.04], 'A X C D'),
      record(1, '2-1-0', [0.02, 0.02], 'A X C D E'),
      // Only the baseline finished this one (the run was interrupted): it must not be counted.
      record(0, '3-1-0', [0.03, 0.03], 'A B C D'),
    ],
    skipped: [],
    models: [
      { path: '/m/float.onnx', sizeBytes: 4_000_000, loadSec: 0.1, rssIncreaseBytes: 1e7 },
      { path: '/m/int8.onnx', sizeBytes: 1_000_000, loadSec: 0.05, rssIncreaseBytes: 5e6 },
    ],
    tokenizer: '/m/tokenizer.model',
    corpus: { root: '/corpus', kind: 'librispeech', available: 10, warnings: 0 },
    resumed: 0,
    loopSec: 1,
    workSec: 0.98,
    peakRssBytes: 2e8,
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T00:00:01Z',
  };
}
