import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { throwIfAborted } from '@asrq/core';
import { defaultCorpusDir, defaultModelPath, defaultPlanPath } from '@asrq/fixtures';
import { inspectModel, readModel } from '@asrq/onnx';
import { formatQuantizeReport, parsePlan, quantizeModelFile } from '@asrq/quantize';
import { calibrationFeeds } from '@asrq/runtime';
import type { Command } from 'commander';
import { assertDemoOutputFree } from '../demo-output.js';
import { addCommand, defineOptions, type FlagsOf } from '../options/spec.js';
import { assertWritableDir } from '../output-dirs.js';
import { note, type OutputMode, print } from '../output.js';
import { withAbort } from '../signals.js';
import { runBenchCommand } from './bench.js';
import { benchRunOptions } from '../options/bench.js';

/** The bench options the demo exposes, with its own defaults and wording. */
const demoOptions = defineOptions({
  out: { ...benchRunOptions.out, description: 'where to write the int8 model and the reports', default: 'asrq-demo' },
  n: { ...benchRunOptions.n, default: 35 },
  warmup: { ...benchRunOptions.warmup, description: 'warm-up utterances', default: 5 },
  repeats: { ...benchRunOptions.repeats, description: 'encoder runs per utterance' },
  force: {
    ...benchRunOptions.force,
    description: 'overwrite files in --out that the demo writes even when an earlier demo did not write them',
  },
  quiet: { ...benchRunOptions.quiet, description: 'only the final table' },
});

type DemoFlags = FlagsOf<typeof demoOptions>;

/** Registers `asrq demo`. */
export function registerDemo(program: Command): void {
  addCommand(
    program,
    {
      name: 'demo',
      description:
        'The whole job on the bundled model and corpus: inspect, quantize with the best known plan, benchmark float vs int8',
      options: demoOptions,
    },
    runDemo,
  );
}

/** Inspects, quantizes and benchmarks the bundled model, writing into `--out`. */
async function runDemo(flags: DemoFlags): Promise<void> {
  const mode: OutputMode = { json: false, quiet: Boolean(flags.quiet) };
  const out = resolve(flags.out);
  const int8 = resolve(out, 'model.int8.onnx');
  await assertDemoOutputFree(out, int8, Boolean(flags.force));
  await assertWritableDir(out, '--out');
  await describeModel(mode);
  await quantizeWithBestPlan(int8, flags, mode);
  note(
    mode,
    `3/3 benchmarking float vs int8 on ${flags.n} bundled utterances (${flags.warmup} warm-up, ${flags.repeats} encoder runs each, 1 thread, interleaved)`,
  );
  await runBenchCommand({
    model: [defaultModelPath, int8],
    n: flags.n,
    warmup: flags.warmup,
    repeats: flags.repeats,
    threads: 1,
    beam: 1,
    out,
    force: true,
    quiet: flags.quiet ?? false,
  });
  const asrq = invokedAs();
  print(
    [
      '',
      'Reading the table: the bundled model is a 4.5 M-parameter wav2vec2-shaped model trained briefly on',
      'synthetic speech, so a WER around 75 % is expected, float and int8 alike; it is here to show what',
      'quantization changes (WER int8 vs float, size, speedup), not to transcribe. "Harness overhead" is the',
      "share of the benchmark loop spent on asrq's own bookkeeping (journal, progress) rather than on the",
      'timed work (reading audio, running the model, decoding): a few % or less means the timings measure the model.',
      '',
      `Next: open ${resolve(out, 'report.html')}; try your own model with ${asrq} inspect / ${asrq} quantize / ${asrq} bench (${asrq} --help).`,
    ].join('\n'),
  );
}

/**
 * How the user runs the CLI, for the commands the demo suggests: `pnpm asrq` from a checkout
 * (scripts/asrq.mjs says so in ASRQ_COMMAND), `npx asrq` under npx, else `asrq`.
 */
function invokedAs(): string {
  if (process.env.ASRQ_COMMAND) return process.env.ASRQ_COMMAND;
  return process.env.npm_command === 'exec' ? 'npx asrq' : 'asrq';
}

/** Step 1: the bundled model's size, inputs and outputs. */
async function describeModel(mode: OutputMode): Promise<void> {
  const info = inspectModel(await readModel(defaultModelPath));
  note(
    mode,
    `1/3 model: ${defaultModelPath}\n    ${info.nodeCount} nodes, ${info.parameterCount.toLocaleString('en-US')} parameters; inputs ${info.inputs.map((i) => i.name).join(', ')}; outputs ${info.outputs.map((o) => o.name).join(', ')}`,
  );
}

/** Step 2: quantizes the bundled model with the bundled best plan into `int8`, then notes its size and SQNR lines. */
async function quantizeWithBestPlan(int8: string, flags: DemoFlags, mode: OutputMode): Promise<void> {
  // The plan ships in @asrq/fixtures (the same plan as the repository's examples/plans/best.json):
  // named by the path it has wherever asrq is installed.
  const plan = parsePlan(await readFile(defaultPlanPath, 'utf8'), { name: defaultPlanPath });
  note(
    mode,
    `2/3 quantizing with the best known plan (${defaultPlanPath}), calibrating on ${plan.calibration?.n ?? 10} bundled utterances -> ${int8}`,
  );
  const inputs = await calibrationFeeds(defaultModelPath, defaultCorpusDir, {
    n: plan.calibration?.n ?? 10,
    seed: plan.calibration?.seed ?? 0,
  });
  const report = await withAbort(
    async (signal) => {
      const result = await quantizeModelFile(defaultModelPath, int8, plan, {
        ...(inputs.calibration ? { calibration: inputs.calibration } : {}),
        validateWith: inputs.sample,
        signal,
      });
      throwIfAborted(signal);
      return result;
    },
    () => note(mode, '\ninterrupted.'),
  );
  if (!flags.quiet)
    note(
      mode,
      formatQuantizeReport(report)
        .split('\n')
        .filter((l) => /size|SQNR/.test(l))
        .map((l) => `    ${l.trim()}`)
        .join('\n'),
    );
}
