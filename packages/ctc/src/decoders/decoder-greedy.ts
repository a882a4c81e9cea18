import { needsBeam, resolvedBeamWidth, type DecoderDefinition } from './decode-settings.js';
import { greedyDecode } from './greedy.js';

/** Best-path decoding ({@link greedyDecode}): chosen for beam width 1 without an LM, hotwords or n-best. */
export const greedyDecoder: DecoderDefinition = {
  name: 'greedy',
  description: 'best path: the most likely token per frame, repeats collapsed, blanks dropped',
  accepts: (settings) => resolvedBeamWidth(settings) <= 1 && !needsBeam(settings),
  create: (tokenizer) => (logProbs) => greedyDecode(logProbs, tokenizer),
};
