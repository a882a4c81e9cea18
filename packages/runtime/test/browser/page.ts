// The page the browser test loads (bundled by web-vs-node.test.ts): the web entry, transcribing
// files the test server serves, greedy, exactly as a page using @asrq/runtime/browser would.
import {
  configureWasm,
  createDecoder,
  decodeAudioBytes,
  forwardLong,
  tokenizerFromBytes,
  WebCtcModel,
} from '../../src/browser/index.js';

const bytes = async (url: string) => new Uint8Array(await (await fetch(url)).arrayBuffer());

/** Transcribes each audio file with the model, as text. */
async function transcribe(modelUrl: string, tokenizerUrl: string, audioUrls: string[]): Promise<string[]> {
  configureWasm({ wasmPaths: '/ort/', threads: 1 });
  const model = await WebCtcModel.load(await bytes(modelUrl), { name: modelUrl });
  try {
    const decode = createDecoder(tokenizerFromBytes(await bytes(tokenizerUrl), model.info));
    const texts: string[] = [];
    for (const url of audioUrls) {
      const audio = decodeAudioBytes(await bytes(url), model.info.sampleRate, url);
      texts.push(decode((await forwardLong(model, audio)).logProbs).text);
    }
    return texts;
  } finally {
    await model.release();
  }
}

(globalThis as unknown as { asrqTranscribe: typeof transcribe }).asrqTranscribe = transcribe;
