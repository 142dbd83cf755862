import net from 'node:net';

/** What "ready" means for a part: a line on its output, a TCP port accepting, or an HTTP 200. */
export type ReadyCheck = { kind: 'line'; pattern: RegExp } | { kind: 'tcp'; port: number } | { kind: 'http'; url: string };

export function describe(check: ReadyCheck): string {
  if (check.kind === 'line') return `output matching ${check.pattern}`;
  if (check.kind === 'tcp') return `TCP port ${check.port}`;
  return `HTTP 200 from ${check.url}`;
}

export function tcpOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(1000);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

export async function httpOk(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}
