import { asrqProject } from '../../vitest.shared.js';

export default asrqProject('frontend');
