import { resolve } from 'node:path';
import { AsrqError } from '@asrq/core';
import { defaultModelPath } from '@asrq/fixtures';
import { formatInspection, inspectModel, readModel, type ModuleNode } from '@asrq/onnx';
import { CtcModel, type ModelInfo } from '@asrq/runtime';
import type { Command } from 'commander';
import { addCommand, defineOptions } from '../options/spec.js';
import { modelOverrideOptions, modelOverrides, type ModelOverrideFlags } from '../options/model.js';
import { integer } from '../options/parsers.js';
import { print } from '../output.js';

/** What `inspect` reports about how asrq will feed the model, or why it cannot. */
type InterfaceReport =
  | {
      recognised: true;
      info: Omit<ModelInfo, 'frontEnd' | 'metadata' | 'companions'> & {
        frontEnd: { name: string; kind: string; dim: number; sampleRate: number; config: unknown };
      };
    }
  | { recognised: false; code: string; message: string };

async function describeInterface(path: string, flags: ModelOverrideFlags): Promise<InterfaceReport> {
  const overrides = modelOverrides(flags);
  try {
    const model = await CtcModel.load(path, {
      session: { graphOptimizationLevel: 'disabled' },
      ...(overrides ? { overrides } : {}),
    });
    await model.release();
    const { frontEnd, metadata: _metadata, companions: _companions, ...rest } = model.info;
    return {
      recognised: true,
      info: {
        ...rest,
        frontEnd: {
          name: frontEnd.name,
          kind: frontEnd.kind,
          dim: frontEnd.dim,
          sampleRate: frontEnd.sampleRate,
          config: frontEnd.config,
        },
      },
    };
  } catch (error) {
    if (!AsrqError.isInstance(error)) throw error;
    return { recognised: false, code: error.code, message: error.message };
  }
}

function formatInterface(report: InterfaceReport): string {
  if (!report.recognised) return `How asrq feeds it: not recognised (${report.code})\n  ${report.message}`;
  const i = report.info;
  const input =
    i.form === 'features'
      ? `features "${i.audioInput}" ${i.featuresLayout === 'BFT' ? '[batch, dim, frames]' : '[batch, frames, dim]'}${i.featureDim ? `, dim ${i.featureDim}` : ''}`
      : `samples "${i.audioInput}" [batch, samples]`;
  const blank = i.blankId === undefined ? "the tokenizer's blank token" : `${i.blankId} (${i.blankIdSource})`;
  const constants = Object.entries(i.constantInputs ?? {}).map(([name, c]) => `${name} = ${c.value} (${c.source})`);
  return [
    'How asrq feeds it',
    `  input        ${input}${i.inputType === 'float16' ? ' float16' : ''}${i.lengthsInput ? ` + lengths "${i.lengthsInput}"` : ''}${i.maskInput ? ` + mask "${i.maskInput}"` : ''} (${i.form})`,
    ...(i.fixedInputLength
      ? [
          `  fixed length ${i.fixedInputLength} ${i.form === 'features' ? 'frames' : 'samples'} (shorter input padded, longer cut into windows)`,
        ]
      : []),
    ...(constants.length > 0 ? [`  constants    ${constants.join(', ')}`] : []),
    `  output       "${i.scoresOutput}"${i.vocabSize ? ` (vocab ${i.vocabSize})` : ''}${i.lengthsOutput ? ` + lengths "${i.lengthsOutput}"` : ''}${i.promptFrames ? `, first ${i.promptFrames} frames are the prompt (dropped)` : ''}`,
    `  sample rate  ${i.sampleRate} Hz`,
    `  blank id     ${blank}`,
    `  front end    ${i.frontEnd.name} (${i.frontEnd.kind}, dim ${i.frontEnd.dim}) from ${i.frontEndSource}`,
    `  settings     ${JSON.stringify(i.frontEnd.config, (_key, value: unknown) => (Array.isArray(value) && value.length > 8 ? `[${value.length} values]` : value))}`,
    `  family       ${i.family} (${i.familySource})`,
  ].join('\n');
}

/** Deepest module level `--json` writes out; deeper ones are folded into their ancestor (JSON.stringify recursion overflowed on 5000-deep node names). */
export const MAX_JSON_TREE_DEPTH = 256;

/**
 * A copy of the module tree down to `maxDepth` levels, built without recursion: a node at the
 * limit keeps its totals (ops, nodes, params and bytes already include its descendants), loses
 * its children, and says how many modules were folded into it.
 * @param tree - The module tree.
 * @param maxDepth - Levels to keep below the root.
 * @returns The folded copy.
 */
export function foldModuleTree(tree: ModuleNode, maxDepth: number): ModuleNode & { foldedModules?: number } {
  const copy = (node: ModuleNode): ModuleNode & { foldedModules?: number } => ({ ...node, children: [] });
  const root = copy(tree);
  const stack: Array<{ from: ModuleNode; to: ModuleNode & { foldedModules?: number }; depth: number }> = [
    { from: tree, to: root, depth: 0 },
  ];
  for (let item = stack.pop(); item; item = stack.pop()) {
    if (item.depth >= maxDepth) {
      if (item.from.children.length > 0) item.to.foldedModules = countModules(item.from) - 1;
      continue;
    }
    for (const child of item.from.children) {
      const to = copy(child);
      item.to.children.push(to);
      stack.push({ from: child, to, depth: item.depth + 1 });
    }
  }
  return root;
}

function countModules(tree: ModuleNode): number {
  let count = 0;
  const stack = [tree];
  for (let node = stack.pop(); node; node = stack.pop()) {
    count++;
    stack.push(...node.children);
  }
  return count;
}

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
