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

/** Ports of the service replicas after the first (which use StackPorts' order and processing). */
export interface ReplicaPorts {
  order: number;
  processing: number;
}

/** Replica i (from 0) listens on order + 2i and processing + 2i: 8000, 8002, … and 8001, 8003, … */
export const consecutiveReplicaPorts = (ports: StackPorts, replicas: number): ReplicaPorts[] =>
  Array.from({ length: replicas - 1 }, (_, i) => ({ order: ports.order + 2 * (i + 1), processing: ports.processing + 2 * (i + 1) }));

/** Free ports for `count` more replicas of each service (tests: consecutive ports may be taken). */
export async function freeReplicaPorts(count: number, avoid: StackPorts): Promise<ReplicaPorts[]> {
  const taken = new Set(Object.values(avoid));
  const next = async () => {
    for (;;) {
      const port = await freePort();
      if (!taken.has(port)) {
        taken.add(port);
        return port;
      }
    }
  };
  const out: ReplicaPorts[] = [];
  for (let i = 0; i < count; i++) out.push({ order: await next(), processing: await next() });
  return out;
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
