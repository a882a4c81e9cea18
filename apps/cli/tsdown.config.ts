import { defineConfig } from 'tsdown';

export default defineConfig({
  // The lm tune worker is its own entry: worker_threads load it by path (dist/tune/tune-worker.js).
  entry: ['src/bin.ts', 'src/program.ts', 'src/tune/tune-worker.ts'],
  format: 'esm',
  dts: false,
  platform: 'node',
  target: 'node20',
  clean: true,
  fixedExtension: false,
});
