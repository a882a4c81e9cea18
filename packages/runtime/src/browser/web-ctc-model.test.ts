import { readFile } from 'node:fs/promises';
import { readAudio } from '@asrq/audio';
import { loadTokenizer } from '@asrq/ctc';
import { defaultCorpusDir, defaultModelPath, defaultTokenizerPath } from '@asrq/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CtcModel } from '../ctc-model.js';
import { Transcriber } from '../transcriber.js';
import {
  configureWasm,
  createDecoder,
  decodeAudioBytes,
  forwardLong,
  lmFromBytes,
  tokenizerFromBytes,
  WebCtcModel,
} from './index.js';

const utterance = `${defaultCorpusDir}138/1001/138-1001-0031.flac`;

describe('WebCtcModel (onnxruntime-web WebAssembly, run here in Node)', () => {
  let web: WebCtcModel;
  let node: CtcModel;
  beforeAll(async () => {
    configureWasm({ threads: 1 });
    web = await WebCtcModel.load(await readFile(defaultModelPath), { name: 'model.onnx' });
    node = await CtcModel.load(defaultModelPath);
  });
  afterAll(async () => {
    await web?.release();
    await node?.release();
  });

  it('discovers the same interface as the Node runtime', () => {
    const strip = ({ frontEnd, ...rest }: typeof web.info) => ({ ...rest, frontEnd: frontEnd.name });
    expect(strip(web.info)).toEqual(strip(node.info));
    expect(web.info.form).toBe('audio-with-lengths');
  });

  it('decodes the file as the Node reader does and gives the Node runtime log-probs and transcript', async () => {
    const audio = decodeAudioBytes(await readFile(utterance), web.info.sampleRate, utterance);
    expect(audio).toEqual(await readAudio(utterance, { sampleRate: 16000 }));
    const [webLp] = (await web.forward([audio])).logProbs;
    const [nodeLp] = (await node.forward([audio])).logProbs;
    expect(webLp!.frames).toBe(nodeLp!.frames);
    let maxDiff = 0;
    for (let i = 0; i < nodeLp!.data.length; i++)
      maxDiff = Math.max(maxDiff, Math.abs(webLp!.data[i]! - nodeLp!.data[i]!));
    expect(maxDiff).toBeLessThan(1e-3);
    const tokenizer = tokenizerFromBytes(await readFile(defaultTokenizerPath), web.info);
    const nodeText = (await new Transcriber(node, await loadTokenizer(defaultTokenizerPath)).transcribe(audio)).text;
    expect(createDecoder(tokenizer)(webLp!).text).toBe(nodeText);
    expect(nodeText.length).toBeGreaterThan(0);
  });

  it('loads a gzipped ARPA LM from bytes and beam-searches with it', async () => {
    const lm = await lmFromBytes(
      await readFile(new URL('../../../ctc/test/fixtures/lm-3gram-pruned.arpa.gz', import.meta.url)),
      'lm.arpa.gz',
    );
    const audio = await readAudio(utterance, { sampleRate: 16000 });
    const [lp] = (await web.forward([audio])).logProbs;
    const tokenizer = tokenizerFromBytes(await readFile(defaultTokenizerPath), web.info);
    const text = createDecoder(tokenizer, { lm, beamWidth: 8 })(lp!).text;
    const nodeText = (
      await new Transcriber(node, await loadTokenizer(defaultTokenizerPath), { lm, beamWidth: 8 }).transcribe(audio)
    ).text;
    expect(text).toBe(nodeText);
  });

  it('refuses bytes that are not ONNX with a typed error', async () => {
    await expect(WebCtcModel.load(new Uint8Array([0xff, 0xff, 0xff]), { name: 'junk.onnx' })).rejects.toMatchObject({
      code: 'RUNTIME_BAD_MODEL',
    });
  });
});

describe('WebCtcModel on the shared model core (onnxruntime-web, run here in Node)', () => {
  it('pads a clip shorter than the receptive field and windows long audio, as CtcModel does', async () => {
    configureWasm({ threads: 1 });
    const web = await WebCtcModel.load(await readFile(defaultModelPath), { name: 'model.onnx' });
    const node = await CtcModel.load(defaultModelPath);
    try {
      const speech = await readAudio(utterance, { sampleRate: 16000 });
      const clip = speech.slice(8000, 8400);
      expect(await web.minSamples()).toBe(await node.minSamples());
      expect(await web.minSamples()).toBeGreaterThan(clip.length);
      const [webClip] = (await web.forward([clip])).logProbs;
      const [nodeClip] = (await node.forward([clip])).logProbs;
      expect(webClip!.frames).toBe(nodeClip!.frames);
      // 42 s: over chunkSec + 2 x strideSec, so both run it as windows.
      const long = new Float32Array(42 * 16000);
      for (let at = 0; at < long.length; at += speech.length) long.set(speech.subarray(0, long.length - at), at);
      const a = await forwardLong(web, long);
      const b = await forwardLong(node, long);
      expect(a.segments.length).toBeGreaterThan(1);
      expect(a.segments).toEqual(b.segments);
      const tokenizer = await loadTokenizer(defaultTokenizerPath);
      expect(createDecoder(tokenizer)(a.logProbs).text).toBe(createDecoder(tokenizer)(b.logProbs).text);
    } finally {
      await web.release();
      await node.release();
    }
  });
});
