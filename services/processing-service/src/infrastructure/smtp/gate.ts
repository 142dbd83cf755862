import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay } from '@oms/platform';
import type { Log } from '../../application/ports';
import type { SmtpPool } from './smtp-pool';

/**
 * Pauses consumption while the SMTP server is unreachable: every message would fail the same
 * way and burn one of its 5 receives for nothing. While down, verify() is probed with backoff.
 */
export class SmtpGate {
  private down = false;
  private probing: Promise<void> | null = null;
  private readonly abort = new AbortController();

  constructor(
    private readonly pool: SmtpPool,
    private readonly log: Log,
  ) {}

  get isDown(): boolean {
    return this.down;
  }

  markDown(): void {
    if (this.down) return;
    this.down = true;
    this.log.warn({}, 'SMTP unavailable; consumption paused until it answers');
  }

  /** Resolves at once when SMTP is up, otherwise once a probe succeeds (or on close). */
  async waitUntilUp(): Promise<void> {
    if (!this.down) return;
    this.probing ??= this.probe().finally(() => {
      this.probing = null;
    });
    await this.probing;
  }

  close(): void {
    this.abort.abort();
  }

  private async probe(): Promise<void> {
    for (let attempt = 1; this.down && !this.abort.signal.aborted; attempt++) {
      try {
        await sleep(backoffDelay(attempt, { base: 500, cap: 15_000 }), undefined, { signal: this.abort.signal });
        await this.pool.verify();
        this.down = false;
        this.log.info({}, 'SMTP answers again; consumption resumed');
      } catch {
        // still down (or closing): keep probing until the loop condition says stop
      }
    }
  }
}
