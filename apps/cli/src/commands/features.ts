import { resolve } from 'node:path';
import { readAudio } from '@asrq/audio';
import {
  createFrontEnd,
  frontEndNames,
  getFrontEndDefinition,
  type FeatureMatrix,
  type FrontEnd,
} from '@asrq/frontend';
import { CtcModel, type ModelInfoOverrides } from '@asrq/runtime';
import type { Command } from 'commander';
import { addCommand, defineOptions } from '../options/spec.js';
import { CliError } from '../errors.js';
import { usageError } from '../exit-codes.js';
import { modelOverrideOptions, modelOverrides } from '../options/model.js';
import { print } from '../output.js';

const featuresOptions = defineOptions({
  list: {
    flags: '--list',
    description:
      'list the front ends (--frontend names) with what each computes and its settings with their defaults (the keys --frontend-config takes); no audio needed',
  },
  model: {
    flags: '--model <path>',
    description:
      'use the front end this model resolves to (from its preprocessor_config.json, model_config.yaml or metadata)',
  },
  json: {
    flags: '--json',
    description:
      'print {"frontend", "config", "source", "sampleRate", "frames", "dim", "data": [[...dim values...] per frame]}',
  },
  ...modelOverrideOptions,
});

function summary(features: FeatureMatrix): string {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  const n = features.frames * features.dim;
  for (let i = 0; i < n; i++) {
    const v = features.data[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return n === 0
    ? 'no values'
    : `min ${min.toPrecision(5)}, max ${max.toPrecision(5)}, mean ${(sum / n).toPrecision(5)}`;
}

function rows(features: FeatureMatrix): number[][] {
  const out: number[][] = [];
  for (let t = 0; t < features.frames; t++)
    out.push(Array.from(features.data.subarray(t * features.dim, (t + 1) * features.dim)));
  return out;
}

/**
 * The front end `--frontend` names, with `--frontend-config` over its defaults and `--sample-rate`
 * as its rate when the config does not set one (as a model's front end gets it).
 */
function namedFrontEnd(
  name: string,
  overrides: ModelInfoOverrides | undefined,
): { frontEnd: FrontEnd; source: string } {
  const config: Record<string, unknown> = { ...overrides?.frontEnd?.config };
  const takesRate = 'sampleRate' in (getFrontEndDefinition(name).defaults as object);
  const rate = overrides?.sampleRate;
  if (rate !== undefined && takesRate && config.sampleRate === undefined) config.sampleRate = rate;
  const source = [
    overrides?.frontEnd?.source ?? `--frontend ${name}`,
    ...(rate !== undefined && config.sampleRate === rate ? [`--sample-rate ${rate}`] : []),
  ].join(' + ');
  return { frontEnd: createFrontEnd(name, config, source), source };
}

/** A front end that gives NaN or infinite values would print them as null (JSON) or NaN: refuse, naming where. */
function assertFinite(features: FeatureMatrix, audioPath: string): void {
  const n = features.frames * features.dim;
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(features.data[i]!)) continue;
    throw new CliError(
      'CLI_BAD_FEATURES',
      `${audioPath}: the front end gave ${features.data[i]} at frame ${Math.floor(i / features.dim)}, value ${i % features.dim}. Check the audio (asrq reads WAV/FLAC samples as finite values) and the front-end settings.`,
      { location: audioPath },
    );
  }
}

/**
 * `asrq features --list`: every registered front end, what it computes, and its settings with
 * their defaults, which are the keys a `--frontend-config` file takes.
 */
function listFrontEnds(json: boolean): void {
  const list = frontEndNames().map((name) => {
    const def = getFrontEndDefinition(name);
    return { name, kind: def.kind, description: def.description, defaults: def.defaults as Record<string, unknown> };
  });
  if (json) {
    print(JSON.stringify(list));
    return;
  }
  for (const { name, kind, description, defaults } of list) {
    print(`${name} (${kind}): ${description}`);
    const keys = Object.entries(defaults).map(([key, value]) => `${key} ${JSON.stringify(value)}`);
    print(`  settings: ${keys.length > 0 ? keys.join(', ') : '(none)'}`);
  }
}

/** Registers `asrq features`. */
export function registerFeatures(program: Command): void {
  addCommand(
    program,
    {
      name: 'features',
      description:
        "Compute a front end's output for an audio file (the model input asrq feeds), to compare with your own pipeline",
      arguments: [
        {
          name: '[audio]',
          description: "audio file (WAV or FLAC, resampled to the front end's rate); not with --list",
        },
      ],
      options: featuresOptions,
    },
    async (audioPath, flags) => {
      if (flags.list) {
        listFrontEnds(Boolean(flags.json));
        return;
      }
      if (!audioPath) throw usageError('Name the audio file: asrq features <audio> (or list the front ends: --list).');
      const overrides = modelOverrides(flags);
      let frontEnd: FrontEnd;
      let source: string;
      if (flags.model) {
        const model = await CtcModel.load(resolve(flags.model), {
          session: { graphOptimizationLevel: 'disabled' },
          ...(overrides ? { overrides } : {}),
        });
        frontEnd = model.info.frontEnd;
        source = model.info.frontEndSource;
        await model.release();
      } else {
        if (!flags.frontend)
          throw usageError(
            'Name the front end with --frontend <name>, or pass --model to use the one that model resolves to.',
          );
        ({ frontEnd, source } = namedFrontEnd(flags.frontend, overrides));
      }
      const audio = await readAudio(resolve(audioPath), { sampleRate: frontEnd.sampleRate });
      const features = frontEnd.compute(audio);
      assertFinite(features, audioPath);
      if (flags.json) {
        print(
          JSON.stringify({
            frontend: frontEnd.name,
            config: frontEnd.config,
            source,
            sampleRate: frontEnd.sampleRate,
            frames: features.frames,
            dim: features.dim,
            data: rows(features),
          }),
        );
        return;
      }
      print(`front end  ${frontEnd.name}: ${getFrontEndDefinition(frontEnd.name).description}`);
      print(`source     ${source}`);
      print(`config     ${JSON.stringify(frontEnd.config)}`);
      print(
        `input      ${audio.length} samples at ${frontEnd.sampleRate} Hz (${(audio.length / frontEnd.sampleRate).toFixed(3)} s)`,
      );
      print(`output     ${features.frames} frames x ${features.dim} (${summary(features)})`);
    },
  );
}
