import { resolve } from 'node:path';
import { defaultModelPath } from '@asrq/fixtures';
import { formatInspection, inspectModel, readModel } from '@asrq/onnx';
import type { Command } from 'commander';
import { integer } from '../options.js';
import { print } from '../output.js';

/** Registers `asrq inspect`. */
export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('Show a model: inputs/outputs, metadata, op histogram, and the module tree rebuilt from node names (the paths --dynamic/--static/--exclude take)')
    .argument('[model]', 'ONNX model (default: the bundled model)')
    .option('--depth <levels>', 'module tree depth', integer(1), 6)
    .option('--json', 'print the inspection as JSON')
    .action(async (model: string | undefined, flags: { depth: number; json?: boolean }) => {
      const info = inspectModel(await readModel(resolve(model ?? defaultModelPath)));
      print(flags.json ? JSON.stringify(info, null, 2) : formatInspection(info, { depth: flags.depth }));
    });
}
