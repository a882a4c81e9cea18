/**
 * Fetches a file as bytes, reporting the bytes received as they arrive (for a progress bar).
 * @param url - Same-origin URL.
 * @param onBytes - Called with the bytes received so far.
 * @returns The whole body.
 * @throws Error naming the URL and the HTTP status when the server refuses.
 */
export async function fetchBytes(url: string, onBytes: (received: number) => void = () => {}): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`Could not fetch ${url}: HTTP ${response.status}.`);
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    received += value.length;
    onBytes(received);
  }
  const out = new Uint8Array(received);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
