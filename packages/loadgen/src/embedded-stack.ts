import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { formatLine, freeReplicaPorts, freeStackPorts, REPO_ROOT, startStack, type Stack } from '@oms/dev-stack';
import type { Part } from './rss';

export const LOAD_ADMIN = { email: 'loadgen-admin@oms.test', password: 'Loadgen-admin-password-1' };

export interface LoadStack {
  stack: Stack;
  /** The discarding SMTP sink the processing service delivers to, when mail = 'sink'. */
  sink: { smtpPort: number; statsUrl: string; pid: number | undefined } | null;
  dataDir: string;
  logFile: string;
  stop(): Promise<void>;
}

/** Spawns the discarding SMTP sink as its own process and resolves with its ports. */
async function startSinkProcess(): Promise<{ child: ChildProcess; smtpPort: number; statsPort: number }> {
  // node itself with tsx's loader (not the tsx wrapper), so a kill reaches the sink and not just a wrapper.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'smtp-sink.ts')], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Dies with us, however we end (dev-stack does the same for its parts).
  process.once('exit', () => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('SMTP sink did not start within 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`SMTP sink exited with ${code}`)));
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /smtp=(\d+) stats=(\d+)/.exec(line);
      if (!m) return;
      clearTimeout(timer);
      resolve({ child, smtpPort: Number(m[1]), statsPort: Number(m[2]) });
    });
  });
}

/**
 * The embedded stack for load: free ports, a fresh temp data dir, rate limits off, warn-level
 * logs (into <dataDir>/stack.log), and, with mail 'sink', delivery to a discarding SMTP server
 * instead of maildev (which stores every mail and accepts only ~730/s).
 */
export async function startLoadStack(opts: {
  mail: 'sink' | 'maildev';
  orderEnv?: Record<string, string>;
  processingEnv?: Record<string, string>;
  /** Replicas of each service (default 1), sharing the databases and queues. */
  replicas?: number;
}): Promise<LoadStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oms-load-'));
  const logFile = path.join(dataDir, 'stack.log');
  const log = fs.createWriteStream(logFile);
  const sink = opts.mail === 'sink' ? await startSinkProcess() : null;
  try {
    const ports = await freeStackPorts();
    const replicas = opts.replicas ?? 1;
    const stack = await startStack({
      ports,
      replicas,
      replicaPorts: await freeReplicaPorts(replicas - 1, ports),
      dataDir,
      log: (part, line) => log.write(`${formatLine(part, line)}\n`),
      env: {
        order: {
          LOG_LEVEL: 'warn',
          ADMIN_EMAIL: LOAD_ADMIN.email,
          ADMIN_PASSWORD: LOAD_ADMIN.password,
          RATE_LIMIT_ORDERS_PER_MIN: '0',
          RATE_LIMIT_READS_PER_MIN: '0',
          RATE_LIMIT_LOGIN_PER_MIN: '0',
          RATE_LIMIT_LOGIN_IP_PER_MIN: '0',
          RATE_LIMIT_REGISTER_PER_MIN: '0',
          LOGIN_SLOWDOWN_AFTER: '0',
          ...opts.orderEnv,
        },
        processing: {
          LOG_LEVEL: 'warn',
          ...(sink && { SMTP_PORT: String(sink.smtpPort) }),
          ...opts.processingEnv,
        },
      },
    });
    return {
      stack,
      sink: sink && { smtpPort: sink.smtpPort, statsUrl: `http://127.0.0.1:${sink.statsPort}/stats`, pid: sink.child.pid },
      dataDir,
      logFile,
      async stop() {
        await stack.stop();
        sink?.child.kill('SIGTERM');
        log.end();
      },
    };
  } catch (err) {
    sink?.child.kill('SIGTERM');
    throw err;
  }
}

/** Every process of the load stack by the name reports use, for PeakRss and CPU sampling. */
export function loadStackParts(ls: LoadStack): Part[] {
  const named = ls.stack.parts.map((p) => ({ name: p.name === 'sqs' ? 'fauxqs' : p.name === 'mail' ? 'maildev' : p.name, pid: p.pid }));
  return ls.sink ? [...named, { name: 'smtp-sink', pid: ls.sink.pid }] : named;
}

export async function sinkCount(statsUrl: string): Promise<number> {
  const res = await fetch(statsUrl);
  return ((await res.json()) as { accepted: number }).accepted;
}
