import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  consecutiveReplicaPorts,
  freePort,
  freeStackPorts,
  ManagedProcess,
  PortInUseError,
  startStack,
  StartError,
  type Stack,
} from '../src';

jest.setTimeout(60_000);

/** Running, not a zombie: orphans are re-parented to an init that may reap them late. */
const alive = (pid: number | undefined) => {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    if (!fs.existsSync('/proc')) return true;
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};

async function sqs(endpoint: string, action: string, body: object): Promise<Record<string, unknown>> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'X-Amz-Target': `AmazonSQS.${action}`, 'Content-Type': 'application/x-amz-json-1.0' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

function quickProcess(script: string, extra: Partial<ConstructorParameters<typeof ManagedProcess>[0]> = {}) {
  return new ManagedProcess({
    name: 'order',
    command: process.execPath,
    args: ['-e', script],
    cwd: os.tmpdir(),
    env: process.env,
    ready: [{ kind: 'line', pattern: /^ready$/ }],
    readyTimeoutMs: 10_000,
    stopGraceMs: 2_000,
    ...extra,
  });
}

describe('startStack (infra)', () => {
  let stack: Stack | undefined;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-stack-'));
    stack = await startStack({ parts: 'infra', ports: await freeStackPorts(), dataDir });
  });

  afterAll(async () => {
    await stack?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs a working SQS endpoint and SMTP catcher on the given ports', async () => {
    const s = stack!;
    expect(s.parts.map((p) => p.name)).toEqual(['sqs', 'mail']);
    const created = await sqs(s.urls.sqs, 'CreateQueue', { QueueName: 'probe' });
    expect(created.QueueUrl).toContain(`:${s.ports.sqs}/`);
    const mails = await fetch(`${s.urls.mailWeb}/email`);
    expect(await mails.json()).toEqual([]);
  });

  it('restarts a part after kill -9 on the same port', async () => {
    const part = stack!.part('sqs');
    const before = part.pid;
    await part.kill('SIGKILL');
    expect(part.running).toBe(false);
    expect(alive(before)).toBe(false);
    await part.restart();
    expect(part.pid).not.toBe(before);
    // fauxqs keeps queues in memory: a fresh process knows none.
    const listed = await sqs(stack!.urls.sqs, 'ListQueues', {});
    expect(listed.QueueUrls ?? []).toEqual([]);
  });

  it('refuses to start when a port is taken, naming the port and its owner', async () => {
    const ports = await freeStackPorts();
    const blocker = net.createServer().listen(ports.mailWeb);
    await new Promise((r) => blocker.once('listening', r));
    try {
      const attempt = startStack({ parts: 'infra', ports, dataDir });
      await expect(attempt).rejects.toBeInstanceOf(PortInUseError);
      await expect(attempt).rejects.toThrow(`port ${ports.mailWeb} (mail (maildev web)) is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('leaves no process behind after stop()', async () => {
    const ports = await freeStackPorts();
    const other = await startStack({ parts: 'infra', ports, dataDir: path.join(dataDir, 'other') });
    const pids = other.parts.map((p) => p.pid);
    expect(pids.every(alive)).toBe(true);
    await other.stop();
    expect(pids.filter(alive)).toEqual([]);
  });
});

describe('ManagedProcess', () => {
  it('reports a child that dies before it is ready with its exit code and last lines', async () => {
    const p = quickProcess('console.log("loading config"); console.error("config error: PORT: bad"); process.exit(3)');
    const err = (await p.start().catch((e: unknown) => e)) as StartError;
    expect(err).toBeInstanceOf(StartError);
    expect(err.message).toMatch(/^order failed to start: exited before it was ready \(code 3\)/);
    expect(err.lastLines).toEqual(expect.arrayContaining(['loading config', 'config error: PORT: bad']));
    expect(p.running).toBe(false);
  });

  it('times out naming what it waited for, and kills the child', async () => {
    const port = await freePort();
    const p = quickProcess('console.log("ready"); setInterval(() => {}, 1000)', {
      ready: [{ kind: 'tcp', port }],
      readyTimeoutMs: 500,
    });
    await expect(p.start()).rejects.toThrow(`order failed to start: not ready after 500 ms (waiting for TCP port ${port})`);
    expect(p.running).toBe(false);
  });

  it('kills the whole process group on SIGKILL, so a wrapped grandchild (like tsx runs) dies too', async () => {
    const grandchild = 'setInterval(() => {}, 1000)';
    const p = quickProcess(
      `const c = require("node:child_process").spawn(process.execPath, ["-e", ${JSON.stringify(grandchild)}], { stdio: "ignore" });
       console.log("grandchild " + c.pid); console.log("ready"); setInterval(() => {}, 1000)`,
    );
    await p.start();
    const line = p.tail().find((l) => l.startsWith('grandchild '));
    const grandchildPid = Number(line?.split(' ')[1]);
    expect(alive(grandchildPid)).toBe(true);
    await p.kill('SIGKILL');
    // The signal is delivered asynchronously.
    for (let i = 0; i < 50 && alive(grandchildPid); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(grandchildPid)).toBe(false);
  });

  it('stop() escalates to SIGKILL when SIGTERM is ignored', async () => {
    const p = quickProcess('process.on("SIGTERM", () => {}); console.log("ready"); setInterval(() => {}, 1000)', {
      stopGraceMs: 300,
    });
    await p.start();
    const pid = p.pid;
    const exits: unknown[][] = [];
    p.on('exit', (...args: unknown[]) => exits.push(args));
    await p.stop();
    expect(alive(pid)).toBe(false);
    expect(exits).toEqual([[null, 'SIGKILL', true]]);
  });
});

describe('replica ports', () => {
  it('puts replica i on order + 2i and processing + 2i (8000, 8002, … / 8001, 8003, …)', () => {
    expect(consecutiveReplicaPorts({ sqs: 4566, smtp: 1025, mailWeb: 1080, order: 8000, processing: 8001 }, 3)).toEqual([
      { order: 8002, processing: 8003 },
      { order: 8004, processing: 8005 },
    ]);
    expect(consecutiveReplicaPorts({ sqs: 4566, smtp: 1025, mailWeb: 1080, order: 8000, processing: 8001 }, 1)).toEqual([]);
  });

  it('refuses a replica count that is not a positive integer before spawning anything', async () => {
    await expect(startStack({ replicas: 0, ports: await freeStackPorts() })).rejects.toThrow('replicas must be a positive integer');
  });
});
