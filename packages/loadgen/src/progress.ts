import type { LoadRunDto } from '@oms/contracts';

const WIDTH = 28;

export function formatDuration(ms: number | null): string {
  if (ms === null) return '--';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export const formatRate = (perSec: number | null): string => (perSec === null ? '--' : `${Math.round(perSec).toLocaleString('en')}/s`);

/** One status line: a bar for the stage the run waits on, counts, rate, ETA, phase and health. */
export function progressLine(run: LoadRunDto): string {
  const { target, generated, processed } = run.progress;
  const waitingOnGeneration = generated < target || run.until === 'generated';
  const done = waitingOnGeneration ? generated : processed;
  const share = target > 0 ? Math.min(1, done / target) : 1;
  const filled = Math.round(share * WIDTH);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}]`;
  const rate = waitingOnGeneration ? (run.generation.ordersPerSec ?? null) : run.throughput.recentOrdersPerSec;
  return [
    bar,
    `${(share * 100).toFixed(1).padStart(5)}%`,
    `gen ${generated.toLocaleString('en')}/${target.toLocaleString('en')}`,
    `done ${processed.toLocaleString('en')}`,
    formatRate(rate),
    `ETA ${formatDuration(run.etaMs)}`,
    `${run.phase} (${run.health})`,
  ].join('  ');
}

/** Redraws one line on a TTY; on a pipe, prints a line at most every `everyMs`. */
export class ProgressBar {
  private lastPrinted = 0;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly everyMs = 5_000,
  ) {}

  update(line: string): void {
    if (this.out.isTTY) {
      this.out.write(`\r${line.slice(0, (this.out.columns ?? 120) - 1).padEnd(Math.min(this.out.columns ?? 120, 160) - 1)}`);
      return;
    }
    const now = Date.now();
    if (now - this.lastPrinted >= this.everyMs) {
      this.out.write(`${line}\n`);
      this.lastPrinted = now;
    }
  }

  done(line: string): void {
    this.out.write(this.out.isTTY ? `\r${line}\n` : `${line}\n`);
  }
}
