import { libraryConfig } from '../../tsdown.shared.ts';

// src/browser is the browser entry (@asrq/runtime/browser): it must not pull in onnxruntime-node.
export default libraryConfig(['src/index.ts', 'src/browser/index.ts']);
