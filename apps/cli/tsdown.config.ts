import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: ['src/bin.ts', 'src/program.ts'],
  format: 'esm',
  dts: false,
  platform: 'node',
  target: 'node20',
  clean: true,
  fixedExtension: false,
});
