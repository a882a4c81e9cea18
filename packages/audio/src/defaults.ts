/** Every default of @asrq/audio, in one place. */
export const AUDIO_DEFAULTS = {
  /** Sample rate audio is read at (Hz): what speech models take. */
  sampleRate: 16000,
  /**
   * Files up to this size are read with one read and decoded in one pass by `readAudio` (no
   * block copies, a few file-system calls); longer ones are streamed block by block.
   */
  wholeFileBytes: 8 * 1024 * 1024,
  /** Frames per block of a streamed read. */
  blockFrames: 65536,
  /** Bits per sample of an integer WAV written by `encodeWav`. */
  wavBitsPerSample: 16,
  /** Resampling filter quality. */
  resampleQuality: 'default',
} as const;
