/** The FLAC STREAMINFO block: stream-wide facts written by the encoder. */
export interface FlacStreamInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Samples per channel; 0 when the encoder did not know it (streamed output). */
  totalSamples: number;
  minBlockSize: number;
  maxBlockSize: number;
  /** MD5 of the decoded samples as hex (all zeros when unset). */
  md5: string;
}
