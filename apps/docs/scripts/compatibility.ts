import { readFile } from 'node:fs/promises';
import { escapeInline } from './cli-reference.js';

/** One operation on one variant, as the compatibility-matrix test recorded it. */
export interface CompatCell {
  /** ok: worked (and validated); refused: stopped early with a clear error the matrix expects; n/a: does not apply. */
  status: 'ok' | 'refused' | 'n/a';
  /** Short text: the plan, what was refused and why, why it does not apply. */
  note?: string;
  /** The error code of a refusal. */
  code?: string;
  /** Output SQNR (dB) of the quantized model against the input model on one utterance. */
  sqnrDb?: number;
  /** onnx.checker on the quantized model: ok, the input itself fails it, or not run (no checker for this opset). */
  checker?: 'ok' | 'input fails' | 'not run';
}

/** One exported model and what each operation did on it. */
export interface CompatRow {
  family: string;
  variant: string;
  /** The tool and settings that wrote the variant (from the zoo-matrix manifest). */
  madeBy: string;
  opset: number;
  cells: Record<string, CompatCell>;
}

/** What the compatibility-matrix test writes (`apps/docs/data/compatibility/matrix.json`). */
export interface CompatMatrix {
  /** How to regenerate it. */
  generatedBy: string;
  onnxruntime: string;
  /** The onnx package that checked the outputs, e.g. `onnx 1.23.1 (opsets up to 24)`. */
  checker: string | null;
  operations: Array<{ id: string; title: string; what: string }>;
  rows: CompatRow[];
}

/**
 * Reads the matrix the compatibility test wrote.
 * @param path - The JSON file.
 * @returns The matrix.
 */
export async function readCompatMatrix(path: string): Promise<CompatMatrix> {
  return JSON.parse(await readFile(path, 'utf8')) as CompatMatrix;
}

/** A cell as table text. */
export function cellText(cell: CompatCell | undefined): string {
  if (!cell || cell.status === 'n/a') return cell?.note ? `— (${escapeInline(cell.note)})` : '—';
  if (cell.status === 'refused') return `refused: ${escapeInline(cell.note ?? cell.code ?? '')}`;
  const parts = ['✓'];
  if (cell.sqnrDb !== undefined) parts.push(`${cell.sqnrDb.toFixed(1)} dB`);
  if (cell.note) parts.push(escapeInline(cell.note));
  if (cell.checker === 'input fails') parts.push('(input fails onnx.checker too)');
  if (cell.checker === 'not run') parts.push('(not checked)');
  return parts.join(' ');
}

function familyTable(matrix: CompatMatrix, family: string): string[] {
  const rows = matrix.rows.filter((r) => r.family === family);
  const head = `| variant | made by | ${matrix.operations.map((o) => o.title).join(' | ')} |`;
  const rule = `|---|---|${matrix.operations.map(() => '---').join('|')}|`;
  const body = rows.map(
    (r) =>
      `| ${escapeInline(r.variant)} | ${escapeInline(r.madeBy)} | ${matrix.operations.map((o) => cellText(r.cells[o.id])).join(' | ')} |`,
  );
  return [`### ${escapeInline(family)}`, '', head, rule, ...body, ''];
}

/**
 * Renders the Compatibility page: one table per model family, a row per export variant (opset,
 * float16, external data, onnxruntime-optimized, already quantized, another initialisation), a
 * column per operation. Nothing on it is typed by hand: it is the matrix the test recorded.
 * @param matrix - From {@link readCompatMatrix}.
 * @returns Markdown.
 */
export function renderCompatibility(matrix: CompatMatrix): string {
  const families = [...new Set(matrix.rows.map((r) => r.family))];
  const cells = matrix.rows.flatMap((r) => Object.values(r.cells));
  const count = (s: CompatCell['status']) => cells.filter((c) => c.status === s).length;
  const lines = [
    '---',
    'outline: [2, 3]',
    '---',
    '',
    '# Compatibility',
    '',
    '::: info Generated',
    `This page is the output of the compatibility-matrix test, not typed by hand: \`${escapeInline(matrix.generatedBy)}\`. CI runs the same test and fails when a cell changes status.`,
    ':::',
    '',
    `Models come as their tools wrote them: at ai.onnx opsets 11 to 18, in float16, with their weights in an external \`.data\` file, passed through onnxruntime's transformers optimizer, or already quantized. Each row below is one such export of a real-shaped model (random weights, [micro size](https://github.com/asrq/asrq/tree/main/packages/fixtures/zoo-matrix)), each column one thing asrq does with it. ${matrix.rows.length} exports × ${matrix.operations.length} operations: ${count('ok')} worked, ${count('refused')} were refused early with the reason and what to do, ${count('n/a')} do not apply.`,
    '',
    `Every quantized model was loaded by onnxruntime ${escapeInline(matrix.onnxruntime)} and compared with its input on one utterance (output SQNR in dB: random weights, so speed and SQNR only, never WER), and ${matrix.checker ? `checked by ${escapeInline(matrix.checker)}` : 'not checked by onnx.checker (no onnx package was found)'} at its own opset. asrq never changes a model's opset: every node it adds is written in the form that opset defines.`,
    '',
    '## What each column does',
    '',
    ...matrix.operations.map((o) => `- **${o.title}**: ${o.what}`),
    '',
    '## The matrix',
    '',
  ];
  for (const family of families) lines.push(...familyTable(matrix, family));
  return `${lines.join('\n')}\n`;
}
