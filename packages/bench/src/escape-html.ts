const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for HTML and SVG, in element content and in quoted attribute values alike
 * (`& < > " '`). Every report and docs page asrq renders escapes with it.
 * @param text - Any text (labels, file names, transcripts).
 * @returns The escaped text.
 * @example
 * ```ts
 * escapeHtml('a <b> & "c"'); // 'a &lt;b&gt; &amp; &quot;c&quot;'
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
