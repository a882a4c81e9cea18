import { resolve } from 'node:path';
import { AsrqError } from '@asrq/core';
import { defaultModelPath } from '@asrq/fixtures';
import { formatInspection, inspectModel, readModel } from '@asrq/onnx';
import { CtcModel, type ModelInfo } from '@asrq/runtime';
import type { Command } from 'commander';
import { addCommand, defineOptions } from '../cli-options.js';
import { modelOverrideOptions, modelOverrides, type ModelOverrideFlags } from '../model-options.js';
import { integer } from '../options.js';
import { print } from '../output.js';

/** What `inspect` reports about how asrq will feed the model, or why it cannot. */
type InterfaceReport =
  | {
      recognised: true;
      info: Omit<ModelInfo, 'frontEnd' | 'metadata'> & {
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
    const { frontEnd, metadata: _metadata, ...rest } = model.info;
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
  return [
    'How asrq feeds it',
    `  input        ${input}${i.lengthsInput ? ` + lengths "${i.lengthsInput}"` : ''}${i.maskInput ? ` + mask "${i.maskInput}"` : ''} (${i.form})`,
    `  output       "${i.scoresOutput}"${i.vocabSize ? ` (vocab ${i.vocabSize})` : ''}${i.lengthsOutput ? ` + lengths "${i.lengthsOutput}"` : ''}`,
    `  sample rate  ${i.sampleRate} Hz`,
    `  blank id     ${blank}`,
    `  front end    ${i.frontEnd.name} (${i.frontEnd.kind}, dim ${i.frontEnd.dim}) from ${i.frontEndSource}`,
    `  settings     ${JSON.stringify(i.frontEnd.config)}`,
    ...(i.family ? [`  family       ${i.family}`] : []),
  ].join('\n');
}

const inspectOptions = defineOptions({
  depth: { flags: '--depth <levels>', description: 'module tree depth', parse: integer(1, 1000), default: 6 },
  json: { flags: '--json', description: 'print the inspection as JSON' },
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
      if (flags.json) print(JSON.stringify({ ...info, interface: feeding }, null, 2));
      else print(`${formatInspection(info, { depth: flags.depth })}\n\n${formatInterface(feeding)}`);
    },
  );
}
