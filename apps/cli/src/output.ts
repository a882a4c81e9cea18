import cliProgress from 'cli-progress';

/** How the command talks to the terminal. */
export interface OutputMode {
  /** Machine-readable JSON on stdout, nothing else there. */
  json: boolean;
  /** No progress or chatter on stderr. */
  quiet: boolean;
}

/** Human-facing messages go to stderr so stdout stays clean for results and --json. */
export function note(mode: OutputMode, message: string): void {
  if (!mode.quiet) process.stderr.write(`${message}\n`);
}

/** A progress bar on stderr when it is a terminal, periodic lines when it is not, silent for quiet and JSON output. */
export interface ProgressBar {
  start(total: number, label: string): void;
  /** Starts the bar (at `done`) unless it is already running, e.g. again after a note interrupted it. */
  ensure(total: number, label: string, done: number): void;
  update(done: number, label?: string): void;
  stop(): void;
}

/** Where a progress bar writes and how it tells time (tests inject both). */
export interface ProgressOutput {
  /** stderr is a terminal: draw a bar (default: `process.stderr.isTTY`). */
  isTTY?: boolean;
  /** Milliseconds clock (default `Date.now`). */
  now?: () => number;
  /** Without a terminal, at most one line per this many milliseconds (default 30 s). */
  intervalMs?: number;
  write?: (text: string) => void;
}

/**
 * Creates a progress bar with ETA (cli-progress) on a terminal. Without one (a log file, CI), a
 * stage that runs longer than `intervalMs` gets a line `label done/total item` every `intervalMs`
 * and a last one when it ends, so a long run shows it is alive; short stages print nothing.
 * Quiet and JSON runs print nothing.
 * @param mode - Output mode.
 * @param output - Terminal or not, clock and writer (defaults: stderr and the wall clock).
 * @returns The bar.
 */
export function createProgressBar(mode: OutputMode, output: ProgressOutput = {}): ProgressBar {
  if (mode.quiet || mode.json) return { start() {}, ensure() {}, update() {}, stop() {} };
  if (!(output.isTTY ?? process.stderr.isTTY)) return progressLines(output);
  const bar = new cliProgress.SingleBar(
    {
      format: '{label} [{bar}] {value}/{total} | ETA {eta_formatted} | {item}',
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let running = false;
  return {
    start(total, label) {
      if (running) bar.stop();
      bar.start(total, 0, { label, item: '' });
      running = true;
    },
    ensure(total, label, done) {
      if (!running) {
        bar.start(total, done, { label, item: '' });
        running = true;
      }
    },
    update(done, item = '') {
      if (running) bar.update(done, { item });
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}

/** The progress "bar" of a non-terminal: a line every `intervalMs` while a stage runs, and one at its end. */
function progressLines(output: ProgressOutput): ProgressBar {
  const now = output.now ?? Date.now;
  const interval = output.intervalMs ?? 30_000;
  const write = output.write ?? ((text: string) => process.stderr.write(text));
  let stage: { label: string; total: number; done: number; item: string; last: number; printed?: number } | undefined;
  const line = (): void => {
    if (!stage) return;
    write(`${stage.label.trim()} ${stage.done}/${stage.total}${stage.item ? ` ${stage.item}` : ''}\n`);
    stage.last = now();
    stage.printed = stage.done;
  };
  const bar: ProgressBar = {
    start(total, label) {
      bar.stop();
      stage = { label, total, done: 0, item: '', last: now() };
    },
    ensure(total, label, done) {
      if (!stage) stage = { label, total, done, item: '', last: now() };
    },
    update(done, item = '') {
      if (!stage) return;
      stage.done = done;
      stage.item = item;
      if (now() - stage.last >= interval) line();
    },
    stop() {
      // A last line only for a stage that printed, and only when it moved since.
      if (stage?.printed !== undefined && stage.printed !== stage.done) line();
      stage = undefined;
    },
  };
  return bar;
}

/** Prints a result line to stdout. */
export function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}
