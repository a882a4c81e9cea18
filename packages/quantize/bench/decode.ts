import { readFile } from 'node:fs/promises';

/** Reads the piece strings of a SentencePiece .model file (ModelProto.pieces[].piece), in id order. */
export async function readPieces(path: string): Promise<string[]> {
  const buf = await readFile(path);
  let at = 0;
  const varint = (): number => {
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = buf[at++]!;
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
      shift += 7;
    }
  };
  const pieces: string[] = [];
  while (at < buf.length) {
    const key = varint();
    const wire = key & 7;
    if (wire === 2) {
      const len = varint();
      if (key >> 3 === 1) {
        // A SentencePiece message: its field 1 is the piece text.
        const end = at + len;
        let piece = '';
        while (at < end) {
          const k = varint();
          if ((k & 7) === 2) {
            const l = varint();
            if (k >> 3 === 1) piece = buf.toString('utf8', at, at + l);
            at += l;
          } else if ((k & 7) === 0) varint();
          else if ((k & 7) === 5) at += 4;
          else if ((k & 7) === 1) at += 8;
        }
        pieces.push(piece);
      } else at += len;
    } else if (wire === 0) varint();
    else if (wire === 5) at += 4;
    else if (wire === 1) at += 8;
  }
  return pieces;
}

/** Best-path CTC decoding: argmax per frame, collapse repeats, drop blank (id 0), join pieces. */
export function greedyText(logProbs: Float32Array, frames: number, vocab: number, pieces: string[]): string {
  let prev = -1;
  let text = '';
  for (let t = 0; t < frames; t++) {
    let best = 0;
    let bestV = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < vocab; k++) {
      const v = logProbs[t * vocab + k]!;
      if (v > bestV) {
        bestV = v;
        best = k;
      }
    }
    if (best !== prev && best !== 0) text += pieces[best] ?? '';
    prev = best;
  }
  return text.replace(/▁/g, ' ').trim().replace(/\s+/g, ' ');
}

/** Word-level edit distance (substitutions + deletions + insertions). */
export function wordErrors(ref: string[], hyp: string[]): number {
  let prev = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const cur = [i];
    for (let j = 1; j <= hyp.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[hyp.length]!;
}
