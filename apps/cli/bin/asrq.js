#!/usr/bin/env node
// Kept outside dist so the bin exists (and pnpm can link it) before the first build.
import '../dist/bin.js';
