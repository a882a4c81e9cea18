// One source of truth for the registry-facing fields of every public package.json:
// repository, homepage, bugs, keywords, license, the CommonJS conditions of `exports` and
// publishConfig.exports (the exports without the `@asrq/source` development condition, which
// points at src/, not in the tarball; pnpm pack and pnpm publish use publishConfig.exports in the
// packed package.json).
//
// CommonJS: every export that has an `import` target also gets `require` and `default` targets,
// the same ES module file. Node >= 20.19 can require() an ES module without top-level await, but
// only when the exports map has a condition that require() matches (`require`, `node` or
// `default`); without one it throws ERR_PACKAGE_PATH_NOT_EXPORTED, and TypeScript does not see
// it (it matches `types`). The conditions are derived, so after adding or renaming an entry point
// run --write again.
//
//   node scripts/package-metadata.mjs --check   exit 1 and list what differs (run by the release-check tests)
//   node scripts/package-metadata.mjs --write   rewrite the fields (re-reads each file just before writing)
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../', import.meta.url));
/** Where the project lives. Assumed: no remote is configured in this checkout; change it here only. */
export const repositoryUrl = 'https://github.com/asrq/asrq';
export const sourceCondition = '@asrq/source';

const common = ['asr', 'speech-recognition', 'onnx', 'ctc'];
/** Keywords per package, after the common ones. */
const keywords = {
  '@asrq/audio': ['audio', 'wav', 'flac', 'resample', 'librispeech'],
  '@asrq/bench': ['benchmark', 'wer', 'rtf', 'quantization'],
  '@asrq/core': ['errors'],
  '@asrq/ctc': ['beam-search', 'sentencepiece', 'n-gram', 'arpa', 'language-model'],
  '@asrq/fixtures': ['fixtures', 'librispeech'],
  '@asrq/frontend': ['fbank', 'mel', 'kaldi', 'nemo', 'features'],
  '@asrq/metrics': ['wer', 'cer', 'sclite', 'rtf'],
  '@asrq/onnx': ['protobuf', 'model'],
  '@asrq/planner': ['quantization', 'int8', 'search'],
  '@asrq/quantize': ['quantization', 'int8', 'ptq', 'onnxruntime'],
  '@asrq/runtime': ['onnxruntime', 'transcription', 'inference'],
  asrq: ['cli', 'quantization', 'int8', 'benchmark', 'wer'],
};

/** Every public package: its folder (relative to the repository root) and parsed package.json. */
export function publicPackages() {
  const found = [];
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, group)).sort()) {
      const file = join(root, group, name, 'package.json');
      if (!existsSync(file)) continue;
      const json = JSON.parse(readFileSync(file, 'utf8'));
      if (!json.private) found.push({ dir: `${group}/${name}`, file, json });
    }
  }
  return found;
}

/** `exports` without the source condition, at every level. */
export function withoutSourceCondition(value) {
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== sourceCondition)
      .map(([key, inner]) => [key, withoutSourceCondition(inner)]),
  );
}

/** Condition order in an export target: the development source first, then types, then runtimes, `default` last. */
const conditionOrder = [sourceCondition, 'types', 'import', 'require', 'default'];

/**
 * `exports` with `require` and `default` beside every `import` target (the same file), conditions
 * in {@link conditionOrder}. Sub-path maps (keys starting with ".") are walked; strings are kept.
 */
export function withCommonJsConditions(value) {
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).map(([key, inner]) => [key, withCommonJsConditions(inner)]);
  const isConditionMap = entries.length > 0 && entries.every(([key]) => !key.startsWith('.'));
  if (!isConditionMap || typeof value.import !== 'string') return Object.fromEntries(entries);
  const conditions = { ...Object.fromEntries(entries), require: value.import, default: value.import };
  const rank = (key) => (conditionOrder.includes(key) ? conditionOrder.indexOf(key) : conditionOrder.length - 1.5);
  return Object.fromEntries(Object.entries(conditions).sort(([a], [b]) => rank(a) - rank(b)));
}

/** Sub-paths of an exports map whose `import` target has no `require` or no `default` beside it. */
export function missingCommonJs(exports) {
  const missing = [];
  const walk = (value, path) => {
    if (value === null || typeof value !== 'object') return;
    if (typeof value.import === 'string' && (value.require !== value.import || value.default !== value.import))
      missing.push(path);
    for (const [key, inner] of Object.entries(value)) if (key.startsWith('.')) walk(inner, key);
  };
  walk(exports, '.');
  return missing;
}

/** The fields this script owns, as they should be. */
export function expectedFields(dir, json) {
  const exports = json.exports ? withCommonJsConditions(json.exports) : undefined;
  return {
    license: 'MIT',
    repository: { type: 'git', url: `git+${repositoryUrl}.git`, directory: dir },
    homepage: `${repositoryUrl}/tree/main/${dir}#readme`,
    bugs: { url: `${repositoryUrl}/issues` },
    keywords: [...new Set([...common, ...(keywords[json.name] ?? [])])],
    ...(exports ? { exports, publishConfig: { ...json.publishConfig, exports: withoutSourceCondition(exports) } } : {}),
  };
}

/** Differences between each package.json and {@link expectedFields}, one line each. */
export function metadataProblems() {
  const problems = [];
  for (const { dir, json } of publicPackages()) {
    for (const [field, exports] of [
      ['exports', json.exports],
      ['publishConfig.exports', json.publishConfig?.exports],
    ]) {
      const missing = missingCommonJs(exports ?? {});
      if (missing.length > 0)
        problems.push(
          `${dir}/package.json: ${field} ${missing.join(', ')} has no require/default condition, so require() of it fails with ERR_PACKAGE_PATH_NOT_EXPORTED`,
        );
    }
    for (const [key, value] of Object.entries(expectedFields(dir, json))) {
      if (JSON.stringify(json[key]) !== JSON.stringify(value))
        problems.push(`${dir}/package.json: ${key} is ${JSON.stringify(json[key])}, expected ${JSON.stringify(value)}`);
    }
    if (!existsSync(join(root, dir, 'LICENSE')))
      problems.push(`${dir}: no LICENSE file (npm packs the package folder's own)`);
  }
  // Versioning decision (CONTRIBUTING.md): every public package in one fixed changesets group.
  const fixed = JSON.parse(readFileSync(join(root, '.changeset', 'config.json'), 'utf8')).fixed ?? [];
  const names = publicPackages()
    .map((p) => p.json.name)
    .sort();
  if (fixed.length !== 1 || JSON.stringify([...fixed[0]].sort()) !== JSON.stringify(names)) {
    problems.push(
      `.changeset/config.json: "fixed" must be one group of every public package (${names.join(', ')}), is ${JSON.stringify(fixed)}`,
    );
  }
  return problems;
}

function write() {
  const license = readFileSync(join(root, 'LICENSE'), 'utf8');
  for (const { dir, file } of publicPackages()) {
    const json = JSON.parse(readFileSync(file, 'utf8'));
    const fields = expectedFields(dir, json);
    // Keep the existing order; new fields go after "license".
    const out = {};
    for (const [key, value] of Object.entries(json)) {
      out[key] = key in fields ? fields[key] : value;
      if (key === 'license') for (const [k, v] of Object.entries(fields)) if (!(k in json)) out[k] = v;
    }
    writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
    writeFileSync(join(root, dir, 'LICENSE'), license);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--write')) write();
  const problems = metadataProblems();
  for (const line of problems) console.error(line);
  if (problems.length > 0)
    console.error(
      'Run node scripts/package-metadata.mjs --write to bring every package.json in line (after changing exports, too).',
    );
  process.exitCode = problems.length > 0 ? 1 : 0;
}
