import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { loadCli, renderCliReference } from '../scripts/cli-reference.js';
import { repoRoot } from '../scripts/paths.js';

describe('CLI reference: choices and hidden commands', () => {
  it('lists the choices of an option and leaves hidden commands out, at every level', () => {
    const program = new Command('tool').description('A tool.');
    program.command('internal', { hidden: true }).description('not for users');
    const group = program.command('group').description('A group.');
    group.command('secret', { hidden: true }).description('not for users either');
    group.command('leaf').description('Leaf.').option('--mode <mode>', 'a mode');
    group.commands.find((c) => c.name() === 'leaf')!.options[0]!.choices(['fast', 'exact']);
    const md = renderCliReference(program);
    expect(md).toContain('| `--mode <mode>` | a mode — one of `fast`, `exact` |');
    expect(md).toContain('### tool group leaf');
    expect(md).not.toMatch(/internal|secret/);
  });

  it('shows the choices the real CLI declares, and not its internal bench-job command', async () => {
    const { program } = await loadCli(join(repoRoot, 'apps', 'cli'));
    const md = renderCliReference(program);
    expect(md).toContain(
      '| `--calibrator <kind>` | static range calibrator — one of `minmax`, `percentile`, `entropy` |',
    );
    expect(md).toMatch(/\| `--metric <kind>` \| .* — one of `wer`, `sqnr` \| `wer` \|/);
    expect(md).not.toContain('bench-job');
  });
});
