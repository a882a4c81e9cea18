import { resample } from '@asrq/audio/browser';

/** A running microphone capture; `stop` returns mono samples at the requested rate. */
export interface Recording {
  stop(): Promise<Float32Array>;
}

/**
 * Records from the microphone as raw PCM (no compressed container, so no codec is needed), mono,
 * resampled to `sampleRate` with asrq's resampler when stopped.
 * @param sampleRate - The model's sample rate.
 * @returns The running recording.
 * @throws DOMException when the visitor refuses the microphone or none exists.
 */
export async function startRecording(sampleRate: number): Promise<Recording> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false },
  });
  const context = new AudioContext();
  const source = context.createMediaStreamSource(stream);
  // ScriptProcessorNode is deprecated but needs no separate worklet file, and 4096-sample blocks are plenty here.
  const processor = context.createScriptProcessor(4096, 1, 1);
  const blocks: Float32Array[] = [];
  processor.onaudioprocess = (event) => blocks.push(new Float32Array(event.inputBuffer.getChannelData(0)));
  source.connect(processor);
  processor.connect(context.destination);
  return {
    async stop() {
      processor.disconnect();
      source.disconnect();
      for (const track of stream.getTracks()) track.stop();
      const rate = context.sampleRate;
      await context.close();
      const total = blocks.reduce((n, b) => n + b.length, 0);
      const audio = new Float32Array(total);
      let at = 0;
      for (const block of blocks) {
        audio.set(block, at);
        at += block.length;
      }
      return rate === sampleRate ? audio : resample(audio, rate, sampleRate);
    },
  };
}
