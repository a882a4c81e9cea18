import { asrqProject } from '../../vitest.shared.js';

// The end-to-end tests spawn the built `asrq` binary, as a user runs it: build it (and the
// packages it imports) first; turbo's cache makes this instant when nothing changed.
export default asrqProject('cli', { globalSetup: ['./test/build-cli.ts'], testTimeout: 180_000 });
