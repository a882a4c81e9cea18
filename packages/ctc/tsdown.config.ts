import { libraryConfig } from '../../tsdown.shared.ts';

// The LM tuning worker is its own entry, at the root of dist/ beside the code that starts it by
// path (dist/lm-tune-worker.js).
export default libraryConfig({
  index: 'src/index.ts',
  browser: 'src/browser.ts',
  'lm-tune-worker': 'src/lm/lm-tune-worker.ts',
});
