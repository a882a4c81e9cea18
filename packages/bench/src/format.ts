import { formatMarkdownTable } from '@asrq/metrics';
import type { BenchReport } from './report-types.js';

/** Bytes as MB with one decimal. */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/**
 * The main results table (model, size, WER, CER, encoder RTF with spread, speedup, end-to-end RTF), as Markdown.
 * @param report - A benchmark report.
 * @returns A Markdown table.
 */
export function resultsTable(report: BenchReport): string {
  return formatMarkdownTable(
    ['model', 'size', 'WER %', 'CER %', 'RTF encoder (median [min-max])', 'speedup', 'RTF end-to-end'],
    report.models.map((m) => [
      m.label,
      formatMegabytes(m.sizeBytes),
      m.wer.toFixed(2),
      m.cer.toFixed(2),
      `${m.rtfEncoder.toFixed(5)} [${m.rtfEncoderRepeats.min.toFixed(5)}-${m.rtfEncoderRepeats.max.toFixed(5)}]`,
      `${m.speedup.toFixed(2)}x`,
      m.rtfEndToEnd.toFixed(5),
    ]),
    { align: ['left', 'right', 'right', 'right', 'right', 'right', 'right'] },
  );
}

/**
 * The full Markdown report: protocol, results, harness facts, worst utterances.
 * @param report - A benchmark report.
 * @returns Markdown text.
 */
export function formatMarkdownReport(report: BenchReport): string {
  const lines = [
    '# asrq benchmark',
    '',
    `${report.utterances} utterances${(report.requested ?? 0) > report.utterances ? ` (${report.requested} asked for)` : ''} (${(report.audioSec / 60).toFixed(1)} min of audio) from \`${report.config.data}\`, ` +
      `${report.protocol.warmupExcluded} warm-up utterances excluded, ${report.protocol.repeats} encoder run(s) per utterance, ` +
      `${report.config.modelThreads ? `${[...new Set(report.config.modelThreads)].join(' and ')} threads (every model at each count, interleaved; speedups against the first model at the same count)` : `${report.protocol.threads} thread(s)`}, ${report.protocol.decoding}.`,
    '',
    resultsTable(report),
    '',
    `RTF scope: ${report.protocol.rtfScope}. Interleaving: ${report.protocol.interleaving}.`,
    '',
    `Harness overhead: ${report.harness.overheadPercent.toFixed(2)} % of the measured loop. Peak RSS ${formatMegabytes(report.harness.peakRssBytes)}. ` +
      `onnxruntime ${report.environment.onnxruntime}, Node ${report.environment.node}, ${report.environment.cpu} (${report.environment.cores} cores).`,
  ];
  if (report.skipped.length > 0 || report.corpusWarnings > 0) {
    lines.push(
      '',
      `Skipped: ${report.skipped.length} unreadable utterance(s), ${report.corpusWarnings} corpus warning(s).`,
    );
    for (const s of report.skipped) lines.push(`- ${s.id} (${s.path}): ${s.reason}`);
  }
  for (const m of report.models) {
    lines.push(
      '',
      `## ${m.label}`,
      '',
      `Load ${m.loadSec.toFixed(2)} s, RSS +${formatMegabytes(m.rssIncreaseBytes)}; S/D/I ${m.substitutions}/${m.deletions}/${m.insertions} of ${m.refWords} words.`,
    );
    if (m.confusions.length > 0)
      lines.push(
        '',
        `Most frequent confusions: ${m.confusions
          .slice(0, 5)
          .map((c) => `${c.ref} -> ${c.hyp} (${c.count})`)
          .join(', ')}.`,
      );
    if (m.worst.length > 0) {
      lines.push('', 'Worst utterances:', '', '```');
      for (const w of m.worst.slice(0, 3))
        lines.push(`${w.id}: ${w.errors} errors / ${w.refWords} words`, w.alignment, '');
      lines.push('```');
    }
  }
  return `${lines.join('\n')}\n`;
}
