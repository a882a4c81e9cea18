/**
 * The speaker of an utterance id, by sclite's rule for `.trn` ids: the text before the first
 * `-` or `_` (`1272-128104-0000` → `1272`, `spk_3` → `spk`), or the whole id when it has neither.
 * @param id - Utterance id.
 * @returns The speaker id.
 * @example
 * ```ts
 * speakerOfId('1272-128104-0000') // "1272"
 * ```
 */
export function speakerOfId(id: string): string {
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    // 0x2d '-', 0x5f '_'
    if (c === 0x2d || c === 0x5f) return i === 0 ? id : id.slice(0, i);
  }
  return id;
}
