import protobuf from 'protobufjs/minimal.js';
import { CtcError } from '../errors.js';

/** SentencePiece piece types, as numbered in sentencepiece_model.proto (`SentencePiece.Type`). */
export const PieceType = {
  normal: 1,
  unknown: 2,
  control: 3,
  userDefined: 4,
  unused: 5,
  byte: 6,
} as const;

/** The parts of a SentencePiece ModelProto that CTC decoding needs. */
export interface SentencePieceModel {
  /** id -> piece text (with the `▁` word-start marker). */
  pieces: string[];
  /** id -> log-probability score (unigram) or merge rank (BPE). */
  scores: Float32Array;
  /** id -> piece type (see {@link PieceType}). */
  types: Uint8Array;
  /** TrainerSpec.model_type: 1 unigram, 2 BPE, 3 word, 4 char. */
  modelType: number;
  /** NormalizerSpec.add_dummy_prefix: whether encoding prepends `▁`. */
  addDummyPrefix: boolean;
}

// Field numbers verified against sentencepiece_model.proto (and the Python protobuf module):
// ModelProto { 1: repeated SentencePiece pieces; 2: TrainerSpec; 3: NormalizerSpec }
// SentencePiece { 1: piece; 2: score (float); 3: type (enum) }
// TrainerSpec { 3: model_type }, NormalizerSpec { 3: add_dummy_prefix }
const WIRE_VARINT = 0;
const WIRE_LENGTH = 2;
const WIRE_FIXED32 = 5;

/**
 * Reads the vocabulary of a SentencePiece `.model` file (a serialized ModelProto). The WASM
 * wrappers cannot list pieces, and CTC decoding needs the id -> piece table.
 *
 * @param bytes - Contents of the `.model` file.
 * @param name - File name for error messages.
 * @returns Pieces, scores, types and the settings encoding needs.
 * @throws AsrqError `CTC_BAD_TOKENIZER` when the bytes are not a SentencePiece model.
 * @example
 * ```ts
 * const model = parseSentencePieceModel(await readFile('tokenizer.model'));
 * model.pieces[3]; // '▁THE'
 * ```
 */
export function parseSentencePieceModel(bytes: Uint8Array, name = 'tokenizer.model'): SentencePieceModel {
  const pieces: string[] = [];
  const scores: number[] = [];
  const types: number[] = [];
  let modelType = 1;
  let addDummyPrefix = true;
  try {
    const reader = protobuf.Reader.create(bytes);
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      const field = tag >>> 3;
      const wire = tag & 7;
      if (field === 1 && wire === WIRE_LENGTH) {
        const end = reader.uint32() + reader.pos;
        let piece = '';
        let score = 0;
        let type = PieceType.normal as number;
        while (reader.pos < end) {
          const inner = reader.uint32();
          const innerField = inner >>> 3;
          if (innerField === 1 && (inner & 7) === WIRE_LENGTH) piece = reader.string();
          else if (innerField === 2 && (inner & 7) === WIRE_FIXED32) score = reader.float();
          else if (innerField === 3 && (inner & 7) === WIRE_VARINT) type = reader.int32();
          else reader.skipType(inner & 7);
        }
        pieces.push(piece);
        scores.push(score);
        types.push(type);
      } else if ((field === 2 || field === 3) && wire === WIRE_LENGTH) {
        const end = reader.uint32() + reader.pos;
        while (reader.pos < end) {
          const inner = reader.uint32();
          if (inner >>> 3 === 3 && (inner & 7) === WIRE_VARINT) {
            if (field === 2) modelType = reader.int32();
            else addDummyPrefix = reader.bool();
          } else reader.skipType(inner & 7);
        }
      } else {
        reader.skipType(wire);
      }
    }
  } catch (error) {
    throw new CtcError(
      'CTC_BAD_TOKENIZER',
      `${name}: not a SentencePiece model (${(error as Error).message}). Pass the .model file the tokenizer was trained into.`,
      {
        cause: error,
        location: name,
      },
    );
  }
  if (pieces.length === 0) {
    throw new CtcError('CTC_BAD_TOKENIZER', `${name}: no pieces found; this is not a SentencePiece .model file.`, {
      location: name,
    });
  }
  return { pieces, scores: Float32Array.from(scores), types: Uint8Array.from(types), modelType, addDummyPrefix };
}
