/**
 * The compatibility matrix: every export variant of packages/fixtures/zoo-matrix (opsets 11-18,
 * float16, external data, onnxruntime-optimized, already quantized, another initialisation) times
 * what a user does with it, run as a user would (the built `asrq` binary). Every quantized output
 * must load in onnxruntime (asrq validates before writing), is compared with its input on one
 * utterance (SQNR), and passes onnx.checker at its own opset. The recorded matrix is
 * apps/docs/data/compatibility/matrix.json, from which the docs' Compatibility page is generated:
 * CI fails when a cell changes status or its SQNR moves by more than 1 dB; after an intended change,
 * `ASRQ_UPDATE_MATRIX=1 pnpm vitest run --project cli test/compat-matrix.test.ts` rewrites it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onnxruntimeVersion } from '@asrq/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onnxChecker } from '../../../packages/quantize/test/onnx-checker.js';
import { corpusSubset } from './corpus-subset.js';
import { runCli, type CliResult } from './run-cli.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const zooDir = join(root, 'packages/fixtures/zoo-matrix');
const plansDir = join(root, 'examples/plans');
const matrixPath = join(root, 'apps/docs/data/compatibility/matrix.json');

interface ManifestEntry {
  family: string;
  variant: string;
  path?: string;
  opset?: number;
  madeBy?: { tool: string; settings?: Record<string, unknown> };
  skipped?: string;
}

interface Cell {
  status: 'ok' | 'refused' | 'n/a';
  note?: string;
  code?: string;
  sqnrDb?: number;
  checker?: 'ok' | 'input fails' | 'not run';
}

interface Row {
  family: string;
  variant: string;
  madeBy: string;
  opset: number;
  cells: Record<string, Cell>;
}

/** The recommended plans of examples/plans and the families whose module names they are written for. */
const RECOMMENDED: Record<string, string[]> = {
  'hf-wav2vec2-base': ['wav2vec2-base.json', 'wav2vec2-base-matmul-only.json'],
  'hf-hubert': ['hubert-base.json'],
  'hf-wav2vec2-large-lv60': ['wav2vec2-large.json', 'wav2vec2-large-matmul-only.json', 'wav2vec2-large-int4.json'],
  'nemo-conformer-ctc': ['conformer-ctc.json'],
  'sherpa-nemo-ctc': ['conformer-ctc.json'],
};

const OPERATIONS = [
  {
    id: 'inspect',
    title: 'inspect',
    what: '`asrq inspect --json`: recognised, with the front end it will be fed through.',
  },
  {
    id: 'transcribe',
    title: 'transcribe',
    what: '`asrq transcribe --json` of one utterance through the model’s own front end.',
  },
  {
    id: 'dynamic',
    title: "quantize --dynamic ''",
    what: 'every weight MatMul/Gemm (and fused Attention) dynamic int8, validated against the input on one utterance (output SQNR).',
  },
  {
    id: 'recommended',
    title: 'recommended plans',
    what: 'each plan of `examples/plans` written for this family’s module names (`—` when there is none), validated the same way.',
  },
  {
    id: 'static',
    title: "quantize --static ''",
    what: 'every MatMul, Gemm and Conv static (calibrated QDQ, 2 utterances); below opset 13, where per-channel scales do not exist, asrq refuses per channel and the matrix then uses `--no-per-channel`.',
  },
  {
    id: 'sensitivity',
    title: 'sensitivity',
    what: '`asrq sensitivity --depth 1` of the dynamic plan (static for convolution-only models): one module at a time.',
  },
  {
    id: 'bench',
    title: 'bench',
    what: '`asrq bench` of the input against its dynamic int8 model (the input alone when there is none), one utterance.',
  },
] as const;

/** Refusals the matrix expects, recognised by their message: the code and a short reason. */
const REFUSALS: Array<{ pattern: RegExp; code: string; note: string }> = [
  { pattern: /is already quantized/, code: 'QUANT_ALREADY_QUANTIZED', note: 'already quantized' },
  {
    pattern: /The plan quantizes no node/,
    code: 'QUANT_NOTHING_QUANTIZED',
    note: 'nothing the plan selects (convolutions only)',
  },
  { pattern: /needs ai\.onnx opset/, code: 'QUANT_OPSET_TOO_LOW', note: 'form needs a newer opset' },
];

let work: string;
let corpus: string;
let clip: string;
const rows: Row[] = [];
const checks: Array<{ row: Row; op: string; output: string; input: string }> = [];

const manifest = JSON.parse(await readFile(join(zooDir, 'manifest.json'), 'utf8')) as { variants: ManifestEntry[] };
const families = [...new Set(manifest.variants.map((v) => v.family))];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'asrq-matrix-'));
  ({ corpus, clip } = await corpusSubset(join(work, 'corpus'), 2));
});
afterAll(() => rm(work, { recursive: true, force: true }));

function describeMaker(v: ManifestEntry): string {
  const tool = v.madeBy?.tool ?? 'unknown';
  const s = v.madeBy?.settings ?? {};
  const detail = Object.entries(s)
    .filter(([k]) =>
      [
        'opset_version',
        'target_version',
        'keep_io_types',
        'model_type',
        'opt_level',
        'op_types_to_quantize',
        'quant_format',
      ].includes(k),
    )
    .map(([k, val]) => `${k}=${Array.isArray(val) ? val.join('+') : String(val)}`)
    .join(', ');
  return detail ? `${tool} (${detail})` : tool;
}

/** A failed run the matrix does not expect: the test fails with the command and stderr. */
class Unexpected extends Error {}

function classify(result: CliResult, args: string[]): Cell | undefined {
  if (result.code === 0) return undefined;
  const refusal = REFUSALS.find((r) => r.pattern.test(result.stderr));
  if (refusal && (result.code === 3 || result.code === 4))
    return { status: 'refused', code: refusal.code, note: refusal.note };
  throw new Unexpected(`asrq ${args.join(' ')} exited ${result.code}:\n${result.stderr.slice(0, 2000)}`);
}

async function cli(args: string[]): Promise<{ result: CliResult; refused?: Cell }> {
  const result = await runCli(args);
  const refused = classify(result, args);
  return refused ? { result, refused } : { result };
}

/** Quantizes with the given flags; an ok cell carries the output SQNR (lowest over float outputs) and queues the checker. */
async function quantizeCell(row: Row, op: string, model: string, out: string, flags: string[]): Promise<Cell> {
  const args = ['quantize', model, '-o', out, ...flags, '--validate-with', corpus, '--json', '--quiet'];
  const { result, refused } = await cli(args);
  if (refused) return refused;
  const report = JSON.parse(result.stdout) as { sqnr: Record<string, number> };
  checks.push({ row, op, output: out, input: model });
  const sqnr = Math.min(...Object.values(report.sqnr));
  return { status: 'ok', sqnrDb: Math.round(sqnr * 10) / 10 };
}

async function recommendedCell(row: Row, model: string, dir: string): Promise<Cell> {
  const plans = RECOMMENDED[row.family] ?? [];
  if (plans.length === 0) return { status: 'n/a', note: 'no recommended plan' };
  const parts: string[] = [];
  let worst: number | undefined;
  for (const plan of plans) {
    const path = join(plansDir, plan);
    // A plan with static rules (wav2vec2-large-int4's positional conv) is calibrated, as its users would.
    const rules = (JSON.parse(await readFile(path, 'utf8')) as { rules: Array<{ mode: string }> }).rules;
    const calib = rules.some((r) => r.mode === 'static') ? ['--calib', corpus, '--calib-n', '2'] : [];
    const cell = await quantizeCell(row, `recommended:${plan}`, model, join(dir, `plan-${plan}.onnx`), [
      '--plan',
      path,
      ...calib,
    ]);
    if (cell.status !== 'ok') return { ...cell, note: `${plan}: ${cell.note}` };
    parts.push(`${plan.replace(/\.json$/, '')} ${cell.sqnrDb!.toFixed(1)} dB`);
    worst = Math.min(worst ?? Number.POSITIVE_INFINITY, cell.sqnrDb!);
  }
  return { status: 'ok', sqnrDb: worst!, note: parts.join(', ') };
}

async function staticCell(row: Row, model: string, dir: string): Promise<Cell> {
  const flags = ['--static', '', '--calib', corpus, '--calib-n', '2'];
  const cell = await quantizeCell(row, 'static', model, join(dir, 'static.onnx'), flags);
  if (cell.status !== 'refused' || cell.code !== 'QUANT_OPSET_TOO_LOW') return cell;
  const perTensor = await quantizeCell(row, 'static', model, join(dir, 'static.onnx'), [...flags, '--no-per-channel']);
  return perTensor.status === 'ok' ? { ...perTensor, note: 'per tensor (per channel needs opset 13)' } : perTensor;
}

async function runVariant(v: ManifestEntry): Promise<Row> {
  const row: Row = { family: v.family, variant: v.variant, madeBy: describeMaker(v), opset: v.opset ?? 0, cells: {} };
  const dir = join(work, v.family, v.variant);
  await mkdir(dir, { recursive: true });
  const model = join(zooDir, v.path!);
  const inspected = await cli(['inspect', model, '--json']);
  const info = JSON.parse(inspected.result.stdout) as {
    interface: { recognised: boolean; info?: { frontEnd: { name: string } } };
  };
  expect(info.interface.recognised, `${v.family}/${v.variant} is recognised`).toBe(true);
  row.cells.inspect = { status: 'ok', note: info.interface.info!.frontEnd.name };
  const transcribed = await cli(['transcribe', '--model', model, '--json', clip]);
  row.cells.transcribe = transcribed.refused ?? { status: 'ok' };
  const dynamicOut = join(dir, 'dynamic.onnx');
  row.cells.dynamic = await quantizeCell(row, 'dynamic', model, dynamicOut, ['--dynamic', '']);
  row.cells.recommended = await recommendedCell(row, model, dir);
  row.cells.static = await staticCell(row, model, dir);
  const convOnly = row.cells.dynamic.code === 'QUANT_NOTHING_QUANTIZED';
  // Below opset 13 static scales are per tensor (as in the static cell).
  const perTensor = convOnly && row.opset < 13 ? ['--no-per-channel'] : [];
  const sensitivity = await cli([
    'sensitivity',
    model,
    ...(convOnly ? ['--static', '', ...perTensor] : ['--dynamic', '']),
    '--calib',
    corpus,
    '--calib-n',
    '1',
    '--depth',
    '1',
    '--json',
    '--quiet',
  ]);
  const entries = sensitivity.refused ? [] : (JSON.parse(sensitivity.result.stdout) as { entries: unknown[] }).entries;
  row.cells.sensitivity = sensitivity.refused ?? {
    status: 'ok',
    note: entries.length > 0 ? `${entries.length} module(s)` : 'nothing left to quantize',
  };
  const models = existsSync(dynamicOut) ? ['--model', model, '--model', dynamicOut] : ['--model', model];
  const bench = await cli([
    'bench',
    ...models,
    '--data',
    corpus,
    '--n',
    '1',
    '--warmup',
    '0',
    '--repeats',
    '1',
    '--json',
    '--out',
    join(dir, 'bench'),
  ]);
  row.cells.bench = bench.refused ?? { status: 'ok', note: models.length > 2 ? 'float vs int8' : 'as it is' };
  return row;
}

/** Runs `fn` over `items`, `limit` at a time (the CLI runs are separate processes). */
async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** onnx.checker (full check) on many files in one Python process: '' per file that passes, else the error. */
function checkAll(python: string, files: string[]): string[] {
  const script =
    'import onnx,sys,json\nout=[]\nfor p in sys.argv[1:]:\n  try:\n    onnx.checker.check_model(onnx.load(p), full_check=True); out.append("")\n  except Exception as e:\n    out.append(str(e).splitlines()[0][:300])\nprint(json.dumps(out))';
  const r = spawnSync(python, ['-c', script, ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`onnx.checker run failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as string[];
}

describe('compatibility matrix: every export variant through every operation', () => {
  for (const family of families) {
    it(`${family}`, { timeout: 900_000 }, async () => {
      const variants = manifest.variants.filter((v) => v.family === family && !v.skipped && v.path);
      rows.push(...(await pool(variants, 2, runVariant)));
    });
  }

  it('every quantized model passes onnx.checker at its own opset (or its input fails it too)', async () => {
    const checker = onnxChecker;
    const checkable = checks.filter((c) => checker && c.row.opset <= checker.maxOpset);
    for (const c of checks) if (!checkable.includes(c)) setChecker(c, 'not run');
    if (!checker) {
      console.warn('onnx.checker skipped: no python with onnx (Debian python3-onnx, or ASRQ_PYTHON)');
      return;
    }
    const results = checkAll(
      checker.python,
      checkable.map((c) => c.output),
    );
    const inputs = [...new Set(checkable.map((c) => c.input))];
    const inputErrors = checkAll(checker.python, inputs);
    const failedInputs = new Set(inputs.filter((_, i) => inputErrors[i]));
    const bad: string[] = [];
    checkable.forEach((c, i) => {
      const error = results[i]!;
      if (!error) setChecker(c, 'ok');
      else if (failedInputs.has(c.input)) setChecker(c, 'input fails');
      else bad.push(`${c.row.family}/${c.row.variant} ${c.op}: ${error}`);
    });
    expect(bad).toEqual([]);
  });

  it('matches the recorded matrix (apps/docs/data/compatibility/matrix.json)', async () => {
    const checker = onnxChecker;
    const matrix = {
      generatedBy: 'ASRQ_UPDATE_MATRIX=1 pnpm vitest run --project cli test/compat-matrix.test.ts',
      onnxruntime: onnxruntimeVersion(),
      checker: checker ? `onnx ${checker.version} (opsets up to ${checker.maxOpset})` : null,
      operations: OPERATIONS,
      rows: [...rows].sort((a, b) => manifestIndex(a) - manifestIndex(b)),
    };
    if (process.env.ASRQ_UPDATE_MATRIX === '1' || !existsSync(matrixPath)) {
      await mkdir(join(matrixPath, '..'), { recursive: true });
      await writeFile(matrixPath, `${JSON.stringify(matrix, null, 2)}\n`);
    }
    const recorded = JSON.parse(await readFile(matrixPath, 'utf8')) as typeof matrix;
    const shape = (m: typeof matrix) =>
      m.rows.map((r) => ({
        row: `${r.family}/${r.variant}`,
        cells: Object.fromEntries(
          Object.entries(r.cells).map(([k, c]) => [k, `${c.status}${c.code ? ` ${c.code}` : ''}`]),
        ),
      }));
    expect(shape(matrix)).toEqual(shape(recorded));
    const moved: string[] = [];
    matrix.rows.forEach((r, i) => {
      for (const [k, c] of Object.entries(r.cells)) {
        const was = recorded.rows[i]!.cells[k]!.sqnrDb;
        if (c.sqnrDb !== undefined && was !== undefined && Math.abs(c.sqnrDb - was) > 1)
          moved.push(`${r.family}/${r.variant} ${k}: ${was} -> ${c.sqnrDb} dB`);
      }
    });
    expect(moved).toEqual([]);
  });
});

function setChecker(c: { row: Row; op: string }, value: NonNullable<Cell['checker']>): void {
  const key = c.op.startsWith('recommended') ? 'recommended' : c.op;
  const cell = c.row.cells[key];
  // A cell with several outputs (recommended plans) keeps its weakest verdict.
  const rank = { ok: 0, 'not run': 1, 'input fails': 2 } as const;
  if (cell && (cell.checker === undefined || rank[value] > rank[cell.checker])) cell.checker = value;
}

function manifestIndex(r: Row): number {
  return manifest.variants.findIndex((v) => v.family === r.family && v.variant === r.variant);
}
