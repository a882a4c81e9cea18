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
  const match = /^[^-_]*/.exec(id);
  const prefix = match?.[0] ?? '';
  return prefix === '' ? id : prefix;
}
