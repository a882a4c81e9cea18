import { formatBytes } from '@asrq/onnx';
import { describeQuantized } from './ops/already-quantized.js';
import type { QuantizeReport } from './quantize-file.js';
import type { SensitivityReport } from './sensitivity.js';

const db = (v: number): string =>
  Number.isNaN(v) ? 'NaN output' : Number.isFinite(v) ? `${v.toFixed(1)} dB` : v > 0 ? 'exact' : '-inf dB';

/**
 * Renders a quantization report: rules with match counts, skipped nodes and why, op histogram
 * before/after, sizes and SQNR.
 * @param r - From quantizeModelFile.
 * @returns Multi-line text.
 * @example
 * ```ts
 * console.log(formatQuantizeReport(await quantizeModelFile(input, output, plan)));
 * ```
 */
export function formatQuantizeReport(r: QuantizeReport): string {
  const lines = [`${r.input} -> ${r.output}`];
  for (const w of r.warnings ?? []) lines.push(`warning: ${w}`);
  lines.push('rules (last match wins):');
  for (const rule of r.rules)
    lines.push(
      `  ${rule.mode.padEnd(7)} ${rule.select || '(all)'}: ${rule.matched} nodes in scope, ${rule.quantized} quantized${rule.skipped ? `, ${rule.skipped} left in float` : ''}`,
    );
  const noted = r.nodes.filter((n) => n.note);
  if (noted.length > 0) {
    lines.push('notes:');
    for (const n of noted) lines.push(`  ${n.node} (${n.opType}): ${n.note}`);
  }
  const skipped = r.nodes.filter((n) => n.status === 'skipped');
  if (skipped.length > 0) {
    lines.push('left in float:');
    for (const n of skipped) lines.push(`  ${n.node} (${n.opType}): ${n.reason}`);
  }
  const keys = [...new Set([...Object.keys(r.opsBefore), ...Object.keys(r.opsAfter)])]
    .filter((k) => (r.opsBefore[k] ?? 0) !== (r.opsAfter[k] ?? 0))
    .sort();
  lines.push('ops changed (before -> after):');
  for (const k of keys) lines.push(`  ${k}: ${r.opsBefore[k] ?? 0} -> ${r.opsAfter[k] ?? 0}`);
  lines.push(
    `size: ${formatBytes(r.bytesBefore)} -> ${formatBytes(r.bytesAfter)} (${((100 * r.bytesAfter) / r.bytesBefore).toFixed(0)}%)${r.externalData ? `, weights in ${r.output}.data` : ''}`,
  );
  if (r.upgraded)
    lines.push(
      `ai.onnx opset ${r.upgraded.from} -> ${r.upgraded.to} as asked, IR ${r.upgraded.irVersion.from} -> ${r.upgraded.irVersion.to}; nodes rewritten for it: ${
        Object.entries(r.upgraded.adapted)
          .map(([op, n]) => `${n} ${op}`)
          .join(', ') || 'none'
      }`,
    );
  else lines.push(`ai.onnx opset ${r.opset} (kept; every new node is valid at it)`);
  if (r.float16)
    lines.push(
      `float16 model: ${r.float16.tensors} float16 tensors made float32, so the parts left float run in float32 (onnxruntime's CPU kernels are float32); inputs ${r.float16.inputs.join(', ') || '(none)'} and outputs ${r.float16.outputs.join(', ') || '(none)'} stay float16`,
    );
  if (r.alreadyQuantized)
    lines.push(
      `the input was already quantized (${describeQuantized(r.alreadyQuantized)}): its quantized nodes were left as they are`,
    );
  if (r.calibrationSamples > 0) lines.push(`calibrated on ${r.calibrationSamples} samples`);
  const outs = Object.entries(r.sqnr);
  const against = r.alreadyQuantized ? 'the (already quantized) input' : 'float';
  if (outs.length > 0) lines.push(`output SQNR vs ${against}: ${outs.map(([k, v]) => `${k} ${db(v)}`).join(', ')}`);
  else lines.push('validation: loads in onnxruntime (no sample given for SQNR)');
  return lines.join('\n');
}

/**
 * Renders a sensitivity report, most damaging modules first (lowest SQNR of the first output).
 * @param r - From sensitivityReport.
 * @returns Multi-line text.
 * @example
 * ```ts
 * console.log(formatSensitivityReport(await sensitivityReport(input, plan, { sample })));
 * ```
 */
export function formatSensitivityReport(r: SensitivityReport): string {
  const first = (s: Record<string, number>): number => Object.values(s)[0] ?? Number.POSITIVE_INFINITY;
  // Modules that make the model give NaN or infinity first, then the lowest SQNR.
  const rank = (e: SensitivityReport['entries'][number]): number =>
    e.nonFinite ? Number.NEGATIVE_INFINITY : first(e.sqnr);
  const sorted = [...r.entries].sort((a, b) => rank(a) - rank(b));
  const name = r.metricName ?? 'metric';
  const metric = (m?: number, d?: number): string =>
    m === undefined ? '' : `  ${name} ${m.toFixed(2)} (${d !== undefined && d >= 0 ? '+' : ''}${d?.toFixed(2)})`;
  const lines = [`sensitivity of ${r.input}: each module quantized alone (lowest SQNR first)`];
  if (r.floatMetric !== undefined) lines.push(`float ${name} ${r.floatMetric.toFixed(2)}`);
  for (const e of sorted)
    lines.push(
      `  ${db(first(e.sqnr)).padStart(8)}  ${e.mode.padEnd(7)} ${e.module || '(root)'} (${e.nodes} nodes)${metric(e.metric, e.metricDelta)}${e.nonFinite ? `  gives ${e.nonFinite.value} in ${e.nonFinite.output} at frame ${e.nonFinite.frame}: keep it float` : ''}`,
    );
  lines.push(`whole plan: ${db(first(r.full.sqnr))}${metric(r.full.metric, r.full.metricDelta)}`);
  return lines.join('\n');
}
