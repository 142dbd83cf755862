import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const DEV_STACK = path.resolve(__dirname, '../../../../packages/dev-stack/node_modules');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Running {
  stop(): Promise<void>;
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Resolves once `ready` returns true (polled), rejects if the process dies first. */
async function waitUntil(child: ChildProcess, what: string, ready: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    if (await ready().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not start`);
}

/** A real fauxqs server (SQS API) on a free port. */
export async function startFauxqs(): Promise<Running & { endpoint: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(DEV_STACK, 'fauxqs/dist/cli.js')], {
    env: { ...process.env, FAUXQS_PORT: String(port), FAUXQS_LOGGER: 'false' },
    stdio: 'ignore',
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntil(child, 'fauxqs', () => canConnect(port));
  return { endpoint, stop: () => stopProcess(child) };
}

export interface Mail {
  subject: string;
  to: { address: string; name: string }[];
  html: string;
  text: string;
}

/** A real maildev (SMTP catcher) on the given or a free SMTP port. */
export async function startMaildev(smtpPort?: number): Promise<Running & { smtpPort: number; emails(): Promise<Mail[]> }> {
  const smtp = smtpPort ?? (await freePort());
  const web = await freePort();
  const child = spawn(
    process.execPath,
    [path.join(DEV_STACK, 'maildev/bin/maildev'), '-s', String(smtp), '-w', String(web), '--ip', '127.0.0.1', '--silent'],
    { stdio: 'ignore' },
  );
  const emails = async (): Promise<Mail[]> => {
    const res = await fetch(`http://127.0.0.1:${web}/email`);
    if (!res.ok) throw new Error(`maildev answered ${res.status}`);
    return (await res.json()) as Mail[];
  };
  await waitUntil(child, 'maildev', async () => (await canConnect(smtp)) && Array.isArray(await emails()));
  return { smtpPort: smtp, emails, stop: () => stopProcess(child) };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Polls until `check` returns a value other than undefined; fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
