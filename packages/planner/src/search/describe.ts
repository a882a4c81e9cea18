import { candidateKey, type Assignment, type NodeGroup } from '../groups.js';

/**
 * A plan's one-line summary: how many groups each candidate covers and which stay float
 * (`dynamic-pc×4, static-minmax×2; float: layers.0 (conv), ...`).
 * @param groups - Every decision group of the model.
 * @param assignment - Candidate per group id (missing = float).
 * @returns The summary.
 */
export function describeAssignment(groups: readonly NodeGroup[], assignment: Assignment): string {
  const short = (id: string): string =>
    id.split('|')[0]!.split('.').slice(-2).join('.') +
    (id.endsWith('|act-matmul') ? ' (attn)' : id.endsWith('|conv') ? ' (conv)' : '');
  const counts = new Map<string, number>();
  for (const c of Object.values(assignment)) counts.set(candidateKey(c), (counts.get(candidateKey(c)) ?? 0) + 1);
  const floatGroups = groups.filter((g) => !assignment[g.id]).map((g) => short(g.id));
  return `${[...counts].map(([k, n]) => `${k}×${n}`).join(', ') || 'nothing quantized'}; float: ${floatGroups.join(', ') || 'none'}`;
}

/**
 * A trial summary with every static calibrator replaced by one, counts merged ("static-minmax×9").
 * @param summary - A summary from {@link describeAssignment}.
 * @param calibrator - The calibrator every static rule now uses.
 * @returns The summary of the recalibrated plan.
 */
export function withCalibrator(summary: string, calibrator: string): string {
  const [quantized = '', ...rest] = summary.split('; ');
  const counts = new Map<string, number>();
  for (const part of quantized.split(', ')) {
    const match = /^(.*)×(\d+)$/.exec(part);
    if (!match) continue;
    const name = match[1]!.startsWith('static-') ? `static-${calibrator}` : match[1]!;
    counts.set(name, (counts.get(name) ?? 0) + Number(match[2]));
  }
  return [[...counts].map(([name, n]) => `${name}×${n}`).join(', '), ...rest].join('; ');
}
