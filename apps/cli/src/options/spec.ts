import { type Command, InvalidArgumentError, Option } from 'commander';
import { collect } from './parsers.js';

/**
 * One command-line option declared as data (after vitest's `CLIOptions<T>`): commander's option,
 * the flag's TypeScript type ({@link FlagsOf}) and the docs' CLI reference all come from it.
 * The key it is stored under must be commander's attribute name of `flags` (`--calib-n` ->
 * `calibN`, `--no-per-channel` -> `perChannel`); {@link buildOption} checks that.
 */
export interface OptionSpec {
  /** Commander flags: `--name`, `--name <value>`, `-o, --output <file>`, `--no-name` (negatable: default true). */
  readonly flags: string;
  /** Help text. */
  readonly description: string;
  /** Parses the string given on the command line (throw commander's InvalidArgumentError for exit code 2); its return type is the flag's type. */
  readonly parse?: (value: string, previous: never) => unknown;
  /** Value when the option is not given; makes the flag non-optional. */
  readonly default?: unknown;
  /** How help shows the default instead of the value itself (e.g. "the number of cores"). */
  readonly defaultDescription?: string;
  /** The only accepted values (commander's `.choices()`: anything else is a usage error, exit 2); the flag's type is their union. */
  readonly choices?: readonly string[];
  /** May be given several times; the flag is the array of values in order. */
  readonly repeatable?: boolean;
  /** Must be given (commander's `requiredOption`). */
  readonly required?: boolean;
  /** Left out of `--help` and the CLI reference. */
  readonly hidden?: boolean;
}

/** A group of options keyed by their attribute names; groups combine by object spread. */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The value type one option spec gives its flag. */
export type OptionValue<S extends OptionSpec> = S extends { parse: (...args: never[]) => infer R }
  ? R
  : S extends { choices: readonly (infer C)[] }
    ? S extends { repeatable: true }
      ? C[]
      : C
    : S extends { repeatable: true }
      ? string[]
      : S extends { flags: `${string}<${string}>` }
        ? string
        : S extends { flags: `${string}[${string}]` }
          ? string | true
          : boolean;

/** Whether commander always sets the flag: required, with a default, or negatable (`--no-x` defaults to true). */
type AlwaysSet<S extends OptionSpec> = S extends { required: true }
  ? true
  : S extends { default: unknown }
    ? true
    : S extends { flags: `--no-${string}` }
      ? true
      : false;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The parsed flags a command's action receives, derived from its option specs. */
export type FlagsOf<S extends OptionSpecs> = Simplify<
  { -readonly [K in keyof S as AlwaysSet<S[K]> extends true ? K : never]: OptionValue<S[K]> } & {
    -readonly [K in keyof S as AlwaysSet<S[K]> extends true ? never : K]?: OptionValue<S[K]>;
  }
>;

/**
 * Declares a group of options, keeping their literal types (so {@link FlagsOf} can read flags and choices).
 * @param specs - Options keyed by attribute name.
 * @returns The same object.
 */
export function defineOptions<const S extends OptionSpecs>(specs: S): S {
  return specs;
}

/**
 * Option specs named after the fields of a package's settings `C` (vitest's `CLIOptions<Config>`):
 * a group declared with {@link defineSettingsOptions} only compiles when each flag's parsed value
 * fits the field it is named after, so {@link settingsOf} hands the flags over as they are.
 */
export type SettingsOptions<C> = { readonly [K in keyof C]?: OptionSpec };

/** Compiles only when the flags of `S` are assignable to the settings `C` (named after its fields, with their types). */
type FitsSettings<S extends OptionSpecs, C> =
  FlagsOf<S> extends Partial<C>
    ? unknown
    : { readonly 'a flag of this group does not fit the settings field it is named after': never };

/**
 * Declares a group of options named after, and typed against, the fields of a package's settings.
 * @returns A function taking the group and giving it back with its literal types.
 * @example
 * ```ts no-run
 * const runOptions = defineSettingsOptions<BenchSettings>()({ n: { flags: '--n <count>', description: 'utterances', parse: integer(1, 100) } });
 * ```
 */
export function defineSettingsOptions<C>() {
  return <const S extends SettingsOptions<C> & OptionSpecs>(specs: S & FitsSettings<S, C>): S => specs;
}

/**
 * The settings a group of options gives: the flags of the group that are set, under their names.
 * @param specs - The group (from {@link defineSettingsOptions}).
 * @param flags - A command's parsed flags (the group's among them).
 * @returns The group's flags that are not undefined.
 */
export function settingsOf<S extends OptionSpecs>(
  specs: S,
  flags: Partial<FlagsOf<S>>,
): { [K in keyof FlagsOf<S>]?: Exclude<FlagsOf<S>[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(specs)) {
    const value = (flags as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  return out as { [K in keyof FlagsOf<S>]?: Exclude<FlagsOf<S>[K], undefined> };
}

/**
 * Builds commander's Option from a spec.
 * @param key - The attribute name the spec is stored under.
 * @param spec - The spec.
 * @returns The option.
 * @throws Error when `key` is not the attribute name commander derives from the flags (a programming error).
 */
export function buildOption(key: string, spec: OptionSpec): Option {
  const option = new Option(spec.flags, spec.description);
  if (option.attributeName() !== key)
    throw new Error(
      `Option spec "${key}" declares ${spec.flags}, whose attribute name is "${option.attributeName()}".`,
    );
  if (spec.choices) option.choices(spec.choices);
  if (spec.parse) option.argParser(spec.parse as (value: string, previous: unknown) => unknown);
  else if (spec.repeatable) {
    const { choices } = spec;
    option.argParser((value: string, previous: string[] | undefined) => {
      // Commander's own choices check is the parser this one replaces: keep its message.
      if (choices && !choices.includes(value))
        throw new InvalidArgumentError(`Allowed choices are ${choices.join(', ')}.`);
      return collect(value, previous);
    });
  }
  if ('default' in spec) option.default(spec.default, spec.defaultDescription);
  if (spec.required) option.makeOptionMandatory();
  if (spec.hidden) option.hideHelp();
  return option;
}

/**
 * Adds every option of the specs to a command, in declaration order.
 * @param command - The command.
 * @param specs - Options keyed by attribute name.
 * @returns The command.
 */
export function addOptions(command: Command, specs: OptionSpecs): Command {
  for (const [key, spec] of Object.entries(specs)) command.addOption(buildOption(key, spec));
  return command;
}

/** One positional argument: `<name>` required, `[name]` optional, `<name...>` variadic. */
export interface ArgumentSpec {
  readonly name: string;
  readonly description: string;
  /** Value of an optional argument when it is not given. */
  readonly default?: string;
}

type ArgumentValue<A extends ArgumentSpec> = A extends { name: `${string}...${string}` }
  ? string[]
  : A extends { name: `<${string}>` }
    ? string
    : A extends { default: string }
      ? string
      : string | undefined;

/** The positional values an action receives, derived from the argument specs. */
export type ArgumentValues<A extends readonly ArgumentSpec[]> = { -readonly [I in keyof A]: ArgumentValue<A[I]> };

/** A command declared as data: name, description, positional arguments and options. */
export interface CommandSpec<A extends readonly ArgumentSpec[], S extends OptionSpecs> {
  readonly name: string;
  readonly description: string;
  /** Left out of the parent's help and the CLI reference (internal commands). */
  readonly hidden?: boolean;
  readonly arguments?: A;
  readonly options: S;
}

/** What a command built from a {@link CommandSpec} calls: its positional values, its typed flags, the command itself. */
export type CommandAction<A extends readonly ArgumentSpec[], S extends OptionSpecs> = (
  ...args: [...ArgumentValues<A>, FlagsOf<S>, Command]
) => void | Promise<void>;

/**
 * Adds a command built from its spec to `parent`, with an action typed by the spec.
 * @param parent - The parent command (the program, or a command group such as `lm`).
 * @param spec - Name, description, arguments and options.
 * @param action - Receives the positional values, the parsed flags and the command.
 * @returns The new command.
 */
export function addCommand<const A extends readonly ArgumentSpec[] = [], const S extends OptionSpecs = OptionSpecs>(
  parent: Command,
  spec: CommandSpec<A, S>,
  action: CommandAction<A, S>,
): Command {
  const command = parent.command(spec.name, spec.hidden ? { hidden: true } : {}).description(spec.description);
  for (const arg of spec.arguments ?? []) {
    if (arg.default === undefined) command.argument(arg.name, arg.description);
    else command.argument(arg.name, arg.description, arg.default);
  }
  addOptions(command, spec.options);
  // Commander calls actions with `any` arguments; the spec above is what makes these types true.
  command.action(action as (...args: unknown[]) => void | Promise<void>);
  return command;
}
