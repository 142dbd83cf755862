import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SMTPPoolOptions } from 'nodemailer/lib/smtp-pool';
import type { Config } from '../../config';

/** What the mailer, the SMTP gate and the health check need from the SMTP connections. */
export interface SmtpPool {
  /** `record`: a send-journal line, written the moment the server accepts the mail (see send-journal.ts). */
  send(envelope: { from: string; to: string[] }, raw: string, record?: string): Promise<void>;
  /** Resolves when the server answers a fresh connection (and login, if any). */
  verify(): Promise<void>;
  close(): Promise<void>;
}

export function smtpPoolOptions(cfg: Config): SMTPPoolOptions {
  return {
    pool: true,
    host: cfg.SMTP_HOST,
    port: cfg.SMTP_PORT,
    secure: cfg.SMTP_SECURE,
    ...(cfg.SMTP_USER ? { auth: { user: cfg.SMTP_USER, pass: cfg.SMTP_PASS ?? '' } } : {}),
    maxConnections: cfg.SMTP_POOL_SIZE,
    // Defaults are minutes long; a send must end well inside the queue's visibility timeout.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  };
}

type Reply = { id: number; error?: { message: string; code?: string; responseCode?: number; response?: string } };

/**
 * nodemailer's pooled transport on a worker thread. Streaming each message through SMTP (dot
 * stuffing, socket writes) was ~40 % of the processing service's CPU per order; on its own thread
 * it runs beside the queue, inbox and status work instead of after it. Failures come back with
 * nodemailer's code / responseCode, so they are classified as before. If the thread dies, what it
 * had in hand fails as ECONNECTION (SMTP unavailable: retried later) and the next call starts a
 * new one.
 */
export class WorkerSmtpPool implements SmtpPool {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();

  /**
   * `journalPath`: the send journal the thread appends to; none = records are not journaled.
   * `unconfirmedMax`: mails at most whose ending the server may have before the thread journaled
   * its 250, i.e. the most duplicates a kill can cause (smtp-worker.cjs); none = no limit.
   */
  constructor(
    private readonly options: SMTPPoolOptions,
    private readonly thread: { journalPath?: string; unconfirmedMax?: number } = {},
  ) {}

  send(envelope: { from: string; to: string[] }, raw: string, record?: string): Promise<void> {
    return this.call({ type: 'send', envelope, raw, record });
  }

  /** Moves the journal to `<path>.1` (replacing the previous one) and starts a new one. */
  rotateJournal(): Promise<void> {
    return this.call({ type: 'rotate' });
  }

  verify(): Promise<void> {
    return this.call({ type: 'verify' });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'close' });
    await exited;
  }

  private call(msg: object): Promise<void> {
    const worker = this.worker ?? this.start();
    const id = ++this.nextId;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...msg, id });
    });
  }

  private start(): Worker {
    const worker = new Worker(path.join(__dirname, 'smtp-worker.cjs'), {
      workerData: { options: this.options, ...this.thread },
    });
    worker.on('message', ({ id, error }: Reply) => {
      const call = this.pending.get(id);
      if (!call) return;
      this.pending.delete(id);
      if (error) call.reject(Object.assign(new Error(error.message), error));
      else call.resolve();
    });
    const lost = (reason: string) => {
      if (this.worker === worker) this.worker = null;
      for (const [id, call] of this.pending) {
        this.pending.delete(id);
        call.reject(Object.assign(new Error(`SMTP worker stopped: ${reason}`), { code: 'ECONNECTION' }));
      }
    };
    worker.on('error', (err) => lost(err.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }
}
