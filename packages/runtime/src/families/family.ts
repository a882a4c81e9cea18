import type { Tokenizer } from '@asrq/ctc/browser';
import type { InferenceSession } from 'onnxruntime-common';

/** One configuration file found beside a model, parsed. */
export interface CompanionFile<T = unknown> {
  /** Where it was read from. */
  path: string;
  /** Its parsed content. */
  content: T;
}

/**
 * The configuration files model families ship beside their ONNX exports, by file name:
 * transformers' `preprocessor_config.json`, NeMo's `model_config.yaml` (as found in an unpacked
 * `.nemo`), whatever a registered family declares. Tokenizer files are found separately
 * (`findTokenizer`).
 */
export type ModelCompanions = Readonly<Record<string, CompanionFile<Record<string, unknown>>>>;

type ValueMetadata = InferenceSession.ValueMetadata;

/** What discovery reads about a model once, before asking the registry which family it is. */
export interface ModelEvidence {
  /** Model path (or name in the browser), for messages. */
  path: string;
  /** `session.inputMetadata`. */
  inputs: readonly ValueMetadata[];
  /** `session.outputMetadata`. */
  outputs: readonly ValueMetadata[];
  /** The model's metadata_props. */
  metadata: Readonly<Record<string, string>>;
  /** The configuration files found beside it (every family's companion files, read once). */
  companions: ModelCompanions;
  /** Whether its signal input takes samples ([batch, samples]) or features ([batch, frames, dim]). */
  kind: 'waveform' | 'features';
}

/** A configuration file a family ships beside its ONNX export. */
export interface CompanionSpec {
  /** File name, e.g. `preprocessor_config.json`. */
  file: string;
  /** What it must hold, for the error when it does not (e.g. "a JSON object like transformers writes"). */
  expected: string;
}

/** A front end a family's files call for, and where that came from. */
export interface FamilyFrontEnd {
  /** Front-end registry name. */
  name: string;
  /** Partial configuration. */
  config: Record<string, unknown>;
  /** Where it came from, e.g. `preprocessor_config.json (/m/preprocessor_config.json)`. */
  source: string;
  /** transformers' `return_attention_mask`, when its preprocessor_config.json says so. */
  returnAttentionMask?: boolean;
}

/** A model input the family fills with the same integer for every row (SenseVoice's language). */
export interface ConstantInput {
  /** The value fed. */
  value: number;
  /** What it means and where it came from, e.g. `lang_auto (metadata)`. */
  source: string;
}

/** Tensor names a family's exports use, tried before the generic ones. */
export interface FamilyNames {
  /** The samples or features input. */
  signal?: readonly string[];
  /** The valid-lengths input. */
  lengths?: readonly string[];
  /** An attention-mask input. */
  mask?: readonly string[];
  /** The scores output. */
  scores?: readonly string[];
}

/** What a family's tokenizer rule gets: the model, its files, and a way to look for more (Node only). */
export interface FamilyTokenizerContext {
  /** Model path. */
  path: string;
  /** The model's companion files. */
  companions: ModelCompanions;
  /**
   * Whether a file exists.
   * @param path - File path.
   */
  exists(path: string): Promise<boolean>;
}

/** The tokenizer a family's own files name. */
export interface FamilyTokenizer {
  /** A tokenizer file its configuration names, loaded instead of searching beside the model. */
  path?: string;
  /** A tokenizer built from its configuration, used when no tokenizer file is found beside the model. */
  fallback?: { tokenizer: Tokenizer; source: string };
}

/**
 * One model family: how its exports are recognised and fed. Every rule that depends on where a
 * model came from lives in its family's file; discovery reads the signature, metadata and
 * companion files once and asks the registry ({@link detectModelFamily}).
 */
export interface ModelFamily {
  /** Tried only after every other family (the catch-alls: `asrq`, `custom`). */
  readonly fallback?: boolean;
  /** Registry name, shown by `asrq inspect` (`transformers`, `nemo`, `sense-voice`, ...). */
  readonly name: string;
  /** The exports it covers, one line. */
  readonly description: string;
  /** Whether its models take samples or features. */
  readonly kind: 'waveform' | 'features';
  /** Files it reads beside the model. */
  readonly companions?: readonly CompanionSpec[];
  /** Tensor names its exports use. */
  readonly names?: FamilyNames;
  /**
   * Whether a model is of this family.
   * @param evidence - What discovery read.
   * @returns Why it is (e.g. `metadata model_type sense_voice_ctc`), or undefined when it is not.
   */
  detect(evidence: ModelEvidence): string | undefined;
  /**
   * The front end its files call for.
   * @param evidence - What discovery read.
   * @param featureDim - Features per frame read off the input, when static.
   * @returns The choice, or undefined when nothing says (waveform models then get `raw`).
   */
  frontEnd?(evidence: ModelEvidence, featureDim: number | undefined): FamilyFrontEnd | undefined;
  /**
   * Inputs filled with a constant per row (beyond samples or features, lengths and mask).
   * @param evidence - What discovery read.
   * @returns Input name -> value.
   */
  constantInputs?(evidence: ModelEvidence): Record<string, ConstantInput>;
  /**
   * The family's blank id convention, used when neither an override nor metadata `blank_id` sets it.
   * @param evidence - What discovery read.
   * @param vocab - The scores' last dimension, when static.
   * @returns The id, or undefined to leave it to the tokenizer.
   */
  blankId?(evidence: ModelEvidence, vocab: number | undefined): number | undefined;
  /**
   * Samples per output frame, when the family's convention fixes it (used for window alignment and word timings).
   * @param evidence - What discovery read.
   * @param frontEndHop - The front end's hop in samples.
   * @returns The hop, or undefined to measure it.
   */
  frameStrideSamples?(evidence: ModelEvidence, frontEndHop: number): number | undefined;
  /**
   * Output frames before the audio's own (SenseVoice's 4 prompt frames), dropped from the log-probs.
   * @param evidence - What discovery read.
   * @returns How many (0 when none).
   */
  promptFrames?(evidence: ModelEvidence): number;
  /**
   * Output frames (prompt frames included) for a number of valid input frames, when the family
   * knows it; otherwise a model without a lengths output has it learned by probing.
   * @param inputFrames - Valid input frames.
   * @param promptFrames - The model's prompt frames.
   * @returns Output frames.
   */
  outputFrames?(inputFrames: number, promptFrames: number): number;
  /**
   * The tokenizer its own files name (otherwise `tokenizer.model` / `tokens.txt` / `vocab.json` is
   * searched for beside the model).
   * @param context - The model path and companion files.
   * @returns A file to load instead of searching, and/or a tokenizer for when the search finds none.
   */
  tokenizer?(context: FamilyTokenizerContext): Promise<FamilyTokenizer | undefined>;
}
