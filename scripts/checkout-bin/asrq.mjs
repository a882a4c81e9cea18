#!/usr/bin/env node
// `pnpm asrq` in a workspace package folder: the wrapper that builds and runs the CLI (scripts/asrq.mjs).
import '../asrq.mjs';
