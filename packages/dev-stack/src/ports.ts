import net from 'node:net';

export interface StackPorts {
  sqs: number;
  smtp: number;
  mailWeb: number;
  order: number;
  processing: number;
}

/** The fixed ports of the embedded run mode (README); tests must use freeStackPorts(). */
export const DEFAULT_PORTS: StackPorts = { sqs: 4566, smtp: 1025, mailWeb: 1080, order: 8000, processing: 8001 };

/** A port the OS considers free right now (bind to 0, read it, release it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function freeStackPorts(): Promise<StackPorts> {
  const ports: number[] = [];
  // Sequential and de-duplicated: the OS may hand the same ephemeral port out twice once released.
  while (ports.length < 5) {
    const port = await freePort();
    if (!ports.includes(port)) ports.push(port);
  }
  const [sqs, smtp, mailWeb, order, processing] = ports as [number, number, number, number, number];
  return { sqs, smtp, mailWeb, order, processing };
}

/** Binds the wildcard address, which clashes with a listener on any local address. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

export class PortInUseError extends Error {
  constructor(readonly taken: { port: number; owner: string }[]) {
    super(taken.map((t) => `port ${t.port} (${t.owner}) is already in use`).join('; '));
    this.name = 'PortInUseError';
  }
}

/** Fails before anything is spawned, naming every wanted port that another process holds. */
export async function assertPortsFree(wanted: { port: number; owner: string }[]): Promise<void> {
  const taken: { port: number; owner: string }[] = [];
  for (const w of wanted) if (!(await isFree(w.port))) taken.push(w);
  if (taken.length > 0) throw new PortInUseError(taken);
}
