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

/** A progress bar on stderr when it is a terminal and output is not quiet; otherwise silent. */
export interface ProgressBar {
  start(total: number, label: string): void;
  /** Starts the bar (at `done`) unless it is already running, e.g. again after a note interrupted it. */
  ensure(total: number, label: string, done: number): void;
  update(done: number, label?: string): void;
  stop(): void;
}

/**
 * Creates a progress bar with ETA (cli-progress) or a no-op one for quiet/JSON runs and non-terminals.
 * @param mode - Output mode.
 * @returns The bar.
 */
export function createProgressBar(mode: OutputMode): ProgressBar {
  if (mode.quiet || mode.json || !process.stderr.isTTY) {
    return { start() {}, ensure() {}, update() {}, stop() {} };
  }
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

/** Prints a result line to stdout. */
export function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}
