import { describe, expect, it } from 'vitest';
import { createProgressBar } from './output.js';

/** A bar without a terminal, on a clock the test moves. */
function logBar(mode = { json: false, quiet: false }) {
  let clock = 0;
  const lines: string[] = [];
  const bar = createProgressBar(mode, {
    isTTY: false,
    now: () => clock,
    intervalMs: 30_000,
    write: (text) => lines.push(text),
  });
  return { bar, lines, advance: (ms: number) => (clock += ms) };
}

describe('progress without a terminal (a log file, CI)', () => {
  it('prints nothing for a stage shorter than the interval', () => {
    const { bar, lines, advance } = logBar();
    bar.start(10, 'measuring  ');
    for (let i = 1; i <= 10; i++) {
      advance(1000);
      bar.update(i, `utt-${i}`);
    }
    bar.stop();
    expect(lines).toEqual([]);
  });

  it('prints a line per interval while a long stage runs and a last one when it ends', () => {
    const { bar, lines, advance } = logBar();
    bar.ensure(300, 'sensitivity', 1);
    for (let i = 1; i <= 295; i++) {
      advance(1000);
      bar.ensure(300, 'sensitivity', i); // a running stage is not restarted
      bar.update(i, `layers.${i} dynamic-pc`);
    }
    bar.stop();
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('sensitivity 30/300 layers.30 dynamic-pc\n');
    expect(lines[8]).toBe('sensitivity 270/300 layers.270 dynamic-pc\n');
    expect(lines[9]).toBe('sensitivity 295/300 layers.295 dynamic-pc\n');
    bar.stop();
    expect(lines).toHaveLength(10);
  });

  it('stays silent for quiet and JSON output', () => {
    for (const mode of [
      { json: true, quiet: false },
      { json: false, quiet: true },
    ]) {
      const { bar, lines, advance } = logBar(mode);
      bar.start(5, 'measuring');
      advance(120_000);
      bar.update(5);
      bar.stop();
      expect(lines).toEqual([]);
    }
  });
});
