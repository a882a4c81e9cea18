import { PieceType, type SentencePieceModel } from './sentencepiece-model.js';

interface EncoderIndex {
  ids: Map<string, number>;
  maxLength: number;
  unkId: number;
  unkScore: number;
}

const indexCache = new WeakMap<SentencePieceModel, EncoderIndex>();

function buildIndex(model: SentencePieceModel): EncoderIndex {
  const ids = new Map<string, number>();
  let maxLength = 1;
  let minScore = 0;
  let unkId = 0;
  model.pieces.forEach((piece, id) => {
    const type = model.types[id];
    if (type === PieceType.unknown) unkId = id;
    if (type !== PieceType.normal && type !== PieceType.userDefined) return;
    ids.set(piece, id);
    maxLength = Math.max(maxLength, [...piece].length);
    minScore = Math.min(minScore, model.scores[id]!);
  });
  // SentencePiece's unigram model scores an unknown character at min score - 10 (kUnkPenalty).
  return { ids, maxLength, unkId, unkScore: minScore - 10 };
}

/**
 * Segments text into the highest-scoring sequence of unigram pieces (Viterbi), as
 * SentencePiece's unigram model does after whitespace normalisation (no NFKC).
 * @param model - A parsed unigram model.
 * @param text - The text.
 * @returns Piece ids.
 */
export function encodeUnigram(model: SentencePieceModel, text: string): number[] {
  let index = indexCache.get(model);
  if (!index) {
    index = buildIndex(model);
    indexCache.set(model, index);
  }
  const words = text
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0);
  if (words.length === 0) return [];
  const joined = (model.addDummyPrefix ? '▁' : '') + words.join('▁');
  const chars = [...joined];
  const n = chars.length;
  const best = new Float64Array(n + 1).fill(-Infinity);
  const backLength = new Int32Array(n + 1);
  const backId = new Int32Array(n + 1);
  best[0] = 0;
  for (let end = 1; end <= n; end++) {
    let piece = '';
    for (let length = 1; length <= Math.min(index.maxLength, end); length++) {
      piece = chars[end - length]! + piece;
      const id = index.ids.get(piece);
      const start = best[end - length]!;
      if (start === -Infinity) continue;
      let score: number;
      let pieceId: number;
      if (id !== undefined) {
        score = start + (model.types[id] === PieceType.userDefined ? 0 : model.scores[id]!);
        pieceId = id;
      } else if (length === 1) {
        score = start + index.unkScore;
        pieceId = index.unkId;
      } else continue;
      if (score > best[end]!) {
        best[end] = score;
        backLength[end] = length;
        backId[end] = pieceId;
      }
    }
  }
  const out: number[] = [];
  for (let end = n; end > 0; end -= backLength[end]!) {
    const id = backId[end]!;
    // Consecutive unknown characters merge into one <unk>, as in SentencePiece.
    if (!(id === index.unkId && out[out.length - 1] === id)) out.push(id);
  }
  return out.reverse();
}
