import { frontEndNames } from '@asrq/frontend';
import { PLAN_CALIBRATORS, PLAN_DYNAMIC_FORMATS } from '@asrq/quantize';
import { Command, type Option } from 'commander';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { addCommand, buildOption, defineOptions, type FlagsOf } from './spec.js';
import { integer } from './parsers.js';
import { createProgram } from '../program.js';

const specs = defineOptions({
  output: { flags: '-o, --output <file>', description: 'out', required: true },
  count: { flags: '--count <n>', description: 'a count', parse: integer(1, 100), default: 3 },
  limit: { flags: '--limit <n>', description: 'a limit', parse: integer(0, 100) },
  kind: { flags: '--kind <kind>', description: 'a kind', choices: ['a', 'b'] },
  tag: { flags: '--tag <tag>', description: 'repeatable', repeatable: true },
  color: { flags: '--color <c>', description: 'repeatable choice', repeatable: true, choices: ['red', 'blue'] },
  perChannel: { flags: '--no-per-channel', description: 'negatable' },
  json: { flags: '--json', description: 'a switch' },
  name: { flags: '--name <name>', description: 'a string' },
});

function run(args: string[]): {
  code?: string;
  message?: string;
  flags?: FlagsOf<typeof specs>;
  positional?: string | undefined;
} {
  const program = new Command('t').exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  let seen: { flags: FlagsOf<typeof specs>; positional: string | undefined } | undefined;
  addCommand(
    program,
    { name: 'c', description: 'd', arguments: [{ name: '[model]', description: 'm' }], options: specs },
    (positional, flags) => {
      seen = { flags, positional };
    },
  ).exitOverride();
  try {
    program.parse(['c', ...args], { from: 'user' });
  } catch (error) {
    const { code, message } = error as { code: string; message: string };
    return { code, message };
  }
  return { ...seen };
}

describe('option specs', () => {
  it('derive the flag types from the data: required and defaulted flags are set, the rest optional', () => {
    type Flags = FlagsOf<typeof specs>;
    expectTypeOf<Flags['output']>().toEqualTypeOf<string>();
    expectTypeOf<Flags['count']>().toEqualTypeOf<number>();
    expectTypeOf<Flags['limit']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Flags['kind']>().toEqualTypeOf<'a' | 'b' | undefined>();
    expectTypeOf<Flags['tag']>().toEqualTypeOf<string[] | undefined>();
    expectTypeOf<Flags['color']>().toEqualTypeOf<('red' | 'blue')[] | undefined>();
    expectTypeOf<Flags['perChannel']>().toEqualTypeOf<boolean>();
    expectTypeOf<Flags['json']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<Flags['name']>().toEqualTypeOf<string | undefined>();
  });

  it('give commander the values, defaults, repeats and negation they declare', () => {
    const result = run([
      'm.onnx',
      '-o',
      'x',
      '--tag',
      'p',
      '--tag',
      'q',
      '--color',
      'red',
      '--no-per-channel',
      '--kind',
      'b',
    ]);
    expect(result.positional).toBe('m.onnx');
    expect(result.flags).toEqual({
      output: 'x',
      count: 3,
      tag: ['p', 'q'],
      color: ['red'],
      perChannel: false,
      kind: 'b',
    });
    expect(run(['-o', 'x']).flags).toEqual({ output: 'x', count: 3, perChannel: true });
  });

  it('refuse values outside the choices, bad numbers and missing required options as commander usage errors', () => {
    expect(run(['-o', 'x', '--kind', 'c'])).toMatchObject({
      code: 'commander.invalidArgument',
      message: expect.stringMatching(/Allowed choices are a, b/),
    });
    expect(run(['-o', 'x', '--color', 'green'])).toMatchObject({
      code: 'commander.invalidArgument',
      message: expect.stringMatching(/Allowed choices are red, blue/),
    });
    expect(run(['-o', 'x', '--count', '0'])).toMatchObject({
      code: 'commander.invalidArgument',
      message: expect.stringMatching(/whole number from 1 to 100/),
    });
    expect(run([])).toMatchObject({ code: 'commander.missingMandatoryOptionValue' });
  });

  it('must be stored under the attribute name of their flags', () => {
    expect(() => buildOption('calibN', { flags: '--calib-count <n>', description: 'x' })).toThrow(
      /attribute name is "calibCount"/,
    );
    expect(buildOption('perChannel', { flags: '--no-per-channel', description: 'x' }).negate).toBe(true);
  });
});

describe('the asrq program built from the specs', () => {
  const program = createProgram();
  const find = (path: string[]): Command =>
    path.reduce((c, name) => c.commands.find((s) => s.name() === name)!, program);
  const option = (path: string[], flag: string): Option => find(path).options.find((o) => o.long === flag)!;

  it('offers the fixed values as choices, from the packages that own them', () => {
    expect(option(['quantize'], '--calibrator').argChoices).toEqual([...PLAN_CALIBRATORS]);
    expect(option(['sensitivity'], '--calibrator').argChoices).toEqual([...PLAN_CALIBRATORS]);
    expect(option(['quantize'], '--dynamic-format').argChoices).toEqual([...PLAN_DYNAMIC_FORMATS]);
    expect(option(['quantize'], '--metric').argChoices).toEqual(['wer', 'sqnr']);
    expect(option(['transcribe'], '--format').argChoices).toEqual(['txt', 'json', 'srt', 'vtt', 'ctm']);
    for (const command of ['inspect', 'quantize', 'sensitivity', 'bench', 'transcribe', 'features']) {
      expect(option([command], '--frontend').argChoices).toEqual(frontEndNames());
      expect(option([command], '--features-layout').argChoices).toEqual(['btf', 'bft']);
    }
  });

  it('shares the bench options between bench and demo, with the demo defaults', () => {
    expect(option(['bench'], '--n').defaultValue).toBe(100);
    expect(option(['demo'], '--n').defaultValue).toBe(35);
    expect(option(['demo'], '--warmup').defaultValue).toBe(5);
    expect(option(['bench', 'merge'], '--out').mandatory).toBe(true);
  });
});
