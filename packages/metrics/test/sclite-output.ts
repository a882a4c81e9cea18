/** Splits sclite's pralign output into per-utterance blocks (id → block text), dropping its `Attributes:` lines. */
export function pralignBlocks(text: string): Map<string, string> {
  const blocks = new Map<string, string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^id: \((.*)\)$/.exec(lines[i]!);
    if (match === null) continue;
    const block = [lines[i]!];
    for (let j = i + 1; j < lines.length && lines[j] !== ''; j++) {
      if (!lines[j]!.startsWith('Attributes:')) block.push(lines[j]!);
    }
    blocks.set(match[1]!, `${block.join('\n')}\n`);
  }
  return blocks;
}
