// Packs every public package into one folder, as the registry would get them, so that a project
// can install asrq before (or without) a release:
//
//   pnpm pack:tarballs [folder]          (builds first; the folder defaults to ./tarballs)
//   cd <your project> && ONNXRUNTIME_NODE_INSTALL=skip npm install <folder>/*.tgz
//
// npm installs every tarball of the folder together, so each @asrq/* dependency is found among
// them (nothing is on the registry yet). The same packing, with its checks, as scripts/pack-check.mjs.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { packAll } from './pack-check.mjs';

const folder = resolve(process.env.INIT_CWD ?? process.cwd(), process.argv[2] ?? 'tarballs');
try {
  mkdirSync(folder, { recursive: true });
  for (const old of readdirSync(folder).filter((f) => f.endsWith('.tgz'))) rmSync(resolve(folder, old));
  const packed = packAll(folder, folder, () => {});
  console.log(`${packed.length} tarballs in ${folder}:`);
  for (const p of packed) console.log(`  ${p.tarball.slice(folder.length + 1)}  (${p.name})`);
  console.log(
    `Install them into a project (CPU only, no CUDA download):\n  ONNXRUNTIME_NODE_INSTALL=skip npm install ${folder}/*.tgz`,
  );
} catch (error) {
  console.error(error.message);
  process.exitCode = 1;
}
