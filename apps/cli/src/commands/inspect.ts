import { resolve } from 'node:path';
import { AsrqError } from '@asrq/core';
import { defaultModelPath } from '@asrq/fixtures';
import { foldModuleTree, formatInspection, inspectModel, readModel } from '@asrq/onnx';
import { CtcModel, formatModelInfo, summarizeModelInfo, type ModelInfoSummary } from '@asrq/runtime';
import type { Command } from 'commander';
import { addCommand, defineOptions } from '../options/spec.js';
import { modelOverrideOptions, modelOverrides, type ModelOverrideFlags } from '../options/model.js';
import { integer } from '../options/parsers.js';
import { print } from '../output.js';
import { cliMessage } from '../flag-hints.js';

/** What `inspect` reports about how asrq will feed the model, or why it cannot. */
type InterfaceReport =
  | { recognised: true; info: ModelInfoSummary }
  | { recognised: false; code: string; message: string };

async function describeInterface(path: string, flags: ModelOverrideFlags): Promise<InterfaceReport> {
  const overrides = modelOverrides(flags);
  try {
    const model = await CtcModel.load(path, {
      session: { graphOptimizationLevel: 'disabled' },
      ...(overrides ? { overrides } : {}),
    });
    await model.release();
    return { recognised: true, info: summarizeModelInfo(model.info) };
  } catch (error) {
    if (!AsrqError.isInstance(error)) throw error;
    return { recognised: false, code: error.code, message: cliMessage(error) };
  }
}

function formatInterface(report: InterfaceReport): string {
  if (!report.recognised) return `How asrq feeds it: not recognised (${report.code})\n  ${report.message}`;
  return formatModelInfo(report.info);
}

/** Deepest module level `--json` writes out; deeper ones are folded into their ancestor (JSON.stringify recursion overflowed on 5000-deep node names). */
const MAX_JSON_TREE_DEPTH = 256;

const inspectOptions = defineOptions({
  depth: { flags: '--depth <levels>', description: 'module tree depth', parse: integer(1, 1000), default: 6 },
  json: {
    flags: '--json',
    description: `print the inspection as JSON (the module tree in full, down to ${MAX_JSON_TREE_DEPTH} levels; deeper modules are folded, counted in foldedModules)`,
  },
  ...modelOverrideOptions,
});

/** Registers `asrq inspect`. */
export function registerInspect(program: Command): void {
  addCommand(
    program,
    {
      name: 'inspect',
      description:
        'Show a model: inputs/outputs, metadata, op histogram, the module tree rebuilt from node names (the paths --dynamic/--static/--exclude take), and how asrq will feed it (front end and where its settings came from)',
      arguments: [{ name: '[model]', description: 'ONNX model (default: the bundled model)' }],
      options: inspectOptions,
    },
    async (model, flags) => {
      const path = resolve(model ?? defaultModelPath);
      const info = inspectModel(await readModel(path));
      const feeding = await describeInterface(path, flags);
      if (flags.json)
        print(
          JSON.stringify(
            { ...info, tree: foldModuleTree(info.tree, MAX_JSON_TREE_DEPTH), interface: feeding },
            null,
            2,
          ),
        );
      else print(`${formatInspection(info, { depth: flags.depth })}\n\n${formatInterface(feeding)}`);
    },
  );
}
