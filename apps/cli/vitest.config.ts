import { asrqProject } from '../../vitest.shared.js';

// The end-to-end tests spawn the built `asrq` binary, as a user runs it: build it (and the
// packages it imports) first; turbo's cache makes this instant when nothing changed. The timeout only
// catches hangs: a full run shares 2 cores with the compatibility matrix's CLI processes.
export default asrqProject('cli', { globalSetup: ['./test/build-cli.ts'], testTimeout: 600_000 });
