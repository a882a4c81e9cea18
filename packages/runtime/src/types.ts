import type { FrontEnd } from '@asrq/frontend';
import type { ModelCompanions } from './families/family.js';
import type { FrontEndOverride } from './frontend-resolve.js';

/** A feed tensor's element type: float32 or float16 audio or features, int64 or int32 lengths, masks and constants. */
export type FeedType = 'float32' | 'float16' | 'int64' | 'int32';

/** Element type of a float input or output asrq feeds or reads. */
export type FloatType = 'float32' | 'float16';

/** Element type of a lengths, mask or constant input. */
export type IntType = 'int64' | 'int32';

/**
 * How the model wants its input: asrq's `audio` + `audio_lengths`, a single `input_values`
 * like transformers' wav2vec2, or features (`[batch, frames, dim]` or `[batch, dim, frames]`
 * plus frame counts) like NeMo and sherpa-onnx / icefall exports.
 */
export type InputForm = 'audio-with-lengths' | 'single-input' | 'features';

/** Axis order of a feature input: `BTF` = [batch, frames, dim] (icefall), `BFT` = [batch, dim, frames] (NeMo). */
export type FeaturesLayout = 'BTF' | 'BFT';

/** Where the blank id came from. */
export type BlankIdSource = 'override' | 'metadata' | 'family' | 'tokenizer';

/** An input filled with the same value for every row (SenseVoice's `language`, `text_norm`). */
export interface ConstantInputInfo {
  value: number;
  /** The input's element type. */
  type: FeedType;
  /** What it means and where the value came from. */
  source: string;
}

/** What asrq knows about a CTC model's interface: discovered from the graph and its metadata, overridable. */
export interface ModelInfo {
  /** The model family (registry name: `transformers`, `nemo`, `sherpa-nemo`, `icefall`, `wenet`, `sense-voice`, `asrq`, `custom`). */
  family: string;
  /** Why discovery chose that family (a companion file, a metadata entry, an input name). */
  familySource: string;
  /** How audio is fed. */
  form: InputForm;
  /** Input receiving [batch, samples] audio, or the features of the `features` form. */
  audioInput: string;
  /** Element type of that input: `float16` for fp16 exports (fed converted), else `float32`. */
  inputType: FloatType;
  /** Axis order of the features input (`features` form only). */
  featuresLayout?: FeaturesLayout;
  /** Features per frame read off the input's shape, when it is static (`features` form only). */
  featureDim?: number;
  /**
   * Samples (or, for features, frames) the input's time axis is fixed to at export, e.g. 16000 for
   * `[1, 16000]`: shorter audio is padded to it, longer audio must be cut into windows that fit.
   */
  fixedInputLength?: number;
  /** Input receiving [batch] valid sample counts (audio-with-lengths form) or valid frame counts (features form). */
  lengthsInput?: string;
  /** Element type of the lengths input. */
  lengthsType?: IntType;
  /** Optional [batch, samples] attention mask of transformers exports. */
  maskInput?: string;
  /** Element type of the mask input. */
  maskType?: IntType;
  /** Inputs filled with one value for every row, by name. */
  constantInputs?: Record<string, ConstantInputInfo>;
  /** Output holding [batch, frames, vocab] scores. */
  scoresOutput: string;
  /** Output holding [batch] valid frame counts, when the model has one. */
  lengthsOutput?: string;
  /** Output frames before the audio's own (SenseVoice's prompt), dropped from the log-probs. */
  promptFrames?: number;
  /** Sample rate the model expects. */
  sampleRate: number;
  /** CTC blank token id; undefined when only the tokenizer can tell (its `<pad>`/`<blank>`/`<blk>` token, else 0). */
  blankId?: number;
  /** Where {@link ModelInfo.blankId} came from; `tokenizer` when it is undefined. */
  blankIdSource: BlankIdSource;
  /** What turns audio into the model's input (raw samples, normalised samples, filterbanks). */
  frontEnd: FrontEnd;
  /** Where the front end's choice and settings came from (a file beside the model, metadata, an override, the default). */
  frontEndSource: string;
  /** Vocabulary size (last dimension of the scores), when known before running. */
  vocabSize?: number;
  /** Samples per output frame, when known (used to estimate frame counts of padded rows). */
  frameStrideSamples?: number;
  /** Tokenizer kind named in the metadata (`sentencepiece`, `char`), when present. */
  tokenizer?: string;
  /** Every metadata_props entry of the model. */
  metadata: Readonly<Record<string, string>>;
  /** The configuration files read beside the model (by file name), kept so nothing reads them twice. */
  companions: ModelCompanions;
}

/** Overrides for what discovery would pick. */
export interface ModelInfoOverrides {
  audioInput?: string;
  lengthsInput?: string;
  scoresOutput?: string;
  lengthsOutput?: string;
  sampleRate?: number;
  blankId?: number;
  /** Front end name and/or partial settings (`--frontend`, `--frontend-config`). */
  frontEnd?: FrontEndOverride;
  /** Axis order of a features input when its shape does not tell (`--features-layout`). */
  featuresLayout?: FeaturesLayout;
  /**
   * Values for inputs filled with a constant, by input name: replaces the family's (e.g.
   * SenseVoice `{ language: 4 }` for English, ids as in its metadata `lang_en`), or fills an
   * extra integer input asrq would otherwise refuse.
   */
  constantInputs?: Record<string, number>;
}
