import { libraryConfig } from '../../tsdown.shared.ts';

// src/web is the browser entry (@asrq/runtime/web): it must not pull in onnxruntime-node.
export default libraryConfig(['src/index.ts', 'src/web/index.ts']);
