/** Every default of @asrq/audio, in one place. */
export const AUDIO_DEFAULTS = {
  /** Sample rate audio is read at (Hz): what speech models take. */
  sampleRate: 16000,
  /** Frames per block of a streamed read. */
  blockFrames: 65536,
  /** Bits per sample of an integer WAV written by `encodeWav`. */
  wavBitsPerSample: 16,
  /** Resampling filter quality. */
  resampleQuality: 'default',
} as const;
