import type { LoadRunDto, PriorityWindow } from '@oms/contracts';
import { formatDuration, formatRate } from './progress';

const windowLine = (name: string, w: PriorityWindow) =>
  `  ${name.padEnd(6)} generated ${w.generated.toLocaleString('en').padStart(9)}  processed ${w.processed.toLocaleString('en').padStart(9)}` +
  `  failed ${w.failed}  window ${w.start ?? '--'} .. ${w.end ?? '--'} (${formatDuration(w.durationMs)}, ` +
  `${formatRate(w.durationMs ? (w.processed * 1000) / w.durationMs : null)})`;

/** Peak resident set per process, largest first: "order-service 312 MB, fauxqs 140 MB, ...". */
export const peakRssLine = (peaksMb: Record<string, number>): string =>
  `  peak RSS: ${Object.entries(peaksMb)
    .sort(([, a], [, b]) => b - a)
    .map(([name, mb]) => `${name} ${mb} MB`)
    .join(', ')}`;

/** A run as a few human lines (the load-run status, condensed). */
export function runSummary(run: LoadRunDto): string {
  return [
    `load run ${run.id} (${run.mode}, until ${run.until}): ${run.phase}, ${run.health}`,
    `  started ${run.startedAt}${run.finishedAt ? `, finished ${run.finishedAt}` : ''}`,
    `  generation: ${run.progress.generated.toLocaleString('en')}/${run.progress.target.toLocaleString('en')} in ${formatDuration(run.generation.durationMs)} (${formatRate(run.generation.ordersPerSec)})`,
    windowLine('VIP', run.processing.VIP),
    windowLine('NORMAL', run.processing.NORMAL),
    `  VIP drained first: ${run.vipDrainedFirst ?? 'n/a'}   throughput ${formatRate(run.throughput.ordersPerSec)}` +
      `   placed->PROCESSED p50 ${run.latency.p50Ms ?? '--'} ms, p99 ${run.latency.p99Ms ?? '--'} ms`,
    ...(run.error ? [`  error: ${run.error}`] : []),
  ].join('\n');
}
