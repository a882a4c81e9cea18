import { libraryConfig } from '../../tsdown.shared.ts';

export default libraryConfig(['src/index.ts', 'src/browser.ts']);
