// Decoder selection lives in @asrq/ctc (its decoder registry); re-exported here so runtime's API is unchanged.
export {
  createDecoder,
  defaultBeamWidth,
  type CtcDecodeFn,
  type DecodeSettings,
  type ScoredText,
} from '@asrq/ctc/browser';
