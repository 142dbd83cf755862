import type { LoadRunDto, PriorityWindow } from '@oms/contracts';
import { formatDuration, formatRate } from './progress';

const windowLine = (name: string, w: PriorityWindow) =>
  `  ${name.padEnd(6)} generated ${w.generated.toLocaleString('en').padStart(9)}  processed ${w.processed.toLocaleString('en').padStart(9)}` +
  `  failed ${w.failed}  window ${w.start ?? '--'} .. ${w.end ?? '--'} (${formatDuration(w.durationMs)})`;

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
