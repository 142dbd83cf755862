import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { SMTPServer } from 'smtp-server';
import { freePort } from '@oms/dev-stack';
import { readSendJournal } from '../../../src/infrastructure/smtp/send-journal';
import { WorkerSmtpPool } from '../../../src/infrastructure/smtp/smtp-pool';

/** A real SMTP server: keeps what it accepts, refuses nobody@ with 550, holds slow@ for a while. */
let server: SMTPServer;
let port: number;
const received: string[] = [];
/** Runs on this (the main) thread right after the server answered 250. */
let afterAccept: (() => void) | null = null;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('nobody@'))
        return callback(Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 }));
      if (address.address.startsWith('slow@')) return void setTimeout(() => callback(), 5_000).unref();
      callback();
    },
    onData(stream, _session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
      stream.on('end', () => {
        received.push(data);
        callback();
        afterAccept?.();
      });
    },
  });
  port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const raw = (subject: string) => `From: a@oms.test\r\nTo: b@example.com\r\nSubject: ${subject}\r\n\r\nhello\r\n`;

describe('WorkerSmtpPool', () => {
  let pool: WorkerSmtpPool;
  beforeEach(() => {
    pool = new WorkerSmtpPool({ pool: true, host: '127.0.0.1', port, maxConnections: 2 });
  });
  afterEach(async () => {
    await pool.close();
  });

  it('delivers the raw message to the envelope recipient from its thread', async () => {
    await pool.verify();
    await pool.send({ from: 'a@oms.test', to: ['b@example.com'] }, raw('pool-1'));
    expect(received.some((m) => m.includes('Subject: pool-1'))).toBe(true);
  });

  it("passes nodemailer's failure fields back, so a 550 is seen as a permanent rejection", async () => {
    await expect(pool.send({ from: 'a@oms.test', to: ['nobody@example.com'] }, raw('pool-2'))).rejects.toMatchObject({
      responseCode: 550,
      code: 'EENVELOPE',
      message: expect.stringContaining('mailbox unavailable'),
    });
  });

  it('fails what the thread had in hand as ECONNECTION when it dies, and starts a new one for the next call', async () => {
    const inHand = pool.send({ from: 'a@oms.test', to: ['slow@example.com'] }, raw('pool-3'));
    await new Promise((r) => setTimeout(r, 200));
    await (pool as unknown as { worker: Worker }).worker.terminate();
    await expect(inHand).rejects.toMatchObject({ code: 'ECONNECTION', message: expect.stringContaining('SMTP worker stopped') });
    await pool.send({ from: 'a@oms.test', to: ['b@example.com'] }, raw('pool-4'));
    expect(received.some((m) => m.includes('Subject: pool-4'))).toBe(true);
  });

  it('reports an unreachable server as unavailable', async () => {
    const down = new WorkerSmtpPool({ pool: true, host: '127.0.0.1', port: await freePort(), connectionTimeout: 2_000 });
    try {
      await expect(down.verify()).rejects.toMatchObject({ code: expect.stringMatching(/^(ECONNECTION|ESOCKET)$/) });
    } finally {
      await down.close();
    }
  });

  it('journals an accepted mail from its own thread, without the main thread (busy here) doing anything', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'send-journal-'));
    const journalPath = path.join(dir, 'sends');
    const journaling = new WorkerSmtpPool({ pool: true, host: '127.0.0.1', port, maxConnections: 1 }, { journalPath });
    let seenWhileBlocked: ReturnType<typeof readSendJournal> = [];
    afterAccept = () => {
      afterAccept = null;
      // Block this thread (as a congested event loop would) until the SMTP thread has written the
      // line, or 10 s: the main thread cannot help it in the meantime.
      const until = Date.now() + 10_000;
      while (seenWhileBlocked.length === 0 && Date.now() < until) seenWhileBlocked = readSendJournal(journalPath);
    };
    try {
      await journaling.send({ from: 'a@oms.test', to: ['b@example.com'] }, raw('journaled'), 'event-1\t<event-1@processing-service>');
      expect(seenWhileBlocked).toEqual([{ eventId: 'event-1', messageId: '<event-1@processing-service>', at: expect.any(Date) }]);
      // A refused mail is not journaled.
      await expect(
        journaling.send({ from: 'a@oms.test', to: ['nobody@example.com'] }, raw('refused'), 'event-2\t<event-2@processing-service>'),
      ).rejects.toThrow();
      await journaling.rotateJournal();
      await journaling.send({ from: 'a@oms.test', to: ['b@example.com'] }, raw('journaled-3'), 'event-3\t<event-3@processing-service>');
      expect(readSendJournal(journalPath).map((s) => s.eventId)).toEqual(['event-1', 'event-3']); // rotated file first
    } finally {
      afterAccept = null;
      await journaling.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('WorkerSmtpPool with unconfirmedMax', () => {
  /** A server that answers each message's final dot 60 ms late, counting what it holds meanwhile. */
  let slowServer: SMTPServer;
  let slowPort: number;
  const seen = { inData: 0, maxInData: 0, unanswered: 0, maxUnanswered: 0, delivered: [] as string[] };

  beforeAll(async () => {
    slowServer = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('nobody@'))
          return callback(Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 }));
        callback();
      },
      onData(stream, _session, callback) {
        seen.maxInData = Math.max(seen.maxInData, ++seen.inData);
        let data = '';
        stream.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
        stream.on('end', () => {
          seen.inData--;
          seen.maxUnanswered = Math.max(seen.maxUnanswered, ++seen.unanswered);
          setTimeout(() => {
            seen.unanswered--;
            if (data.includes('Subject: refuse-at-dot')) return callback(Object.assign(new Error('5.7.1 no'), { responseCode: 554 }));
            seen.delivered.push(/Subject: (\S+)/.exec(data)![1]!);
            callback();
          }, 60);
        });
      },
    });
    slowPort = await freePort();
    await new Promise<void>((resolve) => slowServer.listen(slowPort, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => slowServer.close(() => resolve()));
  });
  beforeEach(() => Object.assign(seen, { inData: 0, maxInData: 0, unanswered: 0, maxUnanswered: 0, delivered: [] }));

  const sendAll = async (pool: WorkerSmtpPool, to: (n: number) => string, subject: (n: number) => string) => {
    try {
      await pool.verify();
      return await Promise.allSettled(Array.from({ length: 8 }, (_, n) => pool.send({ from: 'a@oms.test', to: [to(n)] }, raw(subject(n)))));
    } finally {
      await pool.close();
    }
  };

  it('lets one mail at a time end, while the other connections stream their messages meanwhile', async () => {
    const pool = new WorkerSmtpPool({ pool: true, host: '127.0.0.1', port: slowPort, maxConnections: 4 }, { unconfirmedMax: 1 });
    const results = await sendAll(
      pool,
      () => 'b@example.com',
      (n) => `held-${n}`,
    );
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(seen.delivered.sort()).toEqual(Array.from({ length: 8 }, (_, n) => `held-${n}`).sort());
    expect(seen.maxUnanswered).toBe(1); // a kill at any moment leaves at most one mail the journal lacks
    expect(seen.maxInData).toBeGreaterThan(1); // the contents overlapped: not one connection's throughput
  });

  it('without it, every connection can have a mail ended and unanswered at once', async () => {
    const pool = new WorkerSmtpPool({ pool: true, host: '127.0.0.1', port: slowPort, maxConnections: 4 });
    await sendAll(
      pool,
      () => 'b@example.com',
      (n) => `free-${n}`,
    );
    expect(seen.maxUnanswered).toBeGreaterThan(1);
  });

  it('frees the slot of a mail refused at its envelope or at its dot, so the others still go', async () => {
    const pool = new WorkerSmtpPool({ pool: true, host: '127.0.0.1', port: slowPort, maxConnections: 3 }, { unconfirmedMax: 1 });
    const results = await sendAll(
      pool,
      (n) => (n % 3 === 0 ? 'nobody@example.com' : 'b@example.com'),
      (n) => (n % 3 === 1 ? 'refuse-at-dot' : `mixed-${n}`),
    );
    expect(results.map((r) => r.status)).toEqual(Array.from({ length: 8 }, (_, n) => (n % 3 === 2 ? 'fulfilled' : 'rejected')));
    expect(seen.delivered.sort()).toEqual(['mixed-2', 'mixed-5']);
    expect(seen.maxUnanswered).toBe(1);
  });
});

describe('WorkerSmtpPool with unconfirmedMax, against a server that answers a message before its end', () => {
  /**
   * A bare SMTP server on a real socket: answers slow@ 300 ms after the final dot, and early@ with
   * 421 right after its 354, before any of the message (as a server shutting down may), leaving
   * the connection open.
   */
  let early: net.Server;
  let earlyPort: number;
  const delivered: string[] = [];
  beforeAll(async () => {
    early = net.createServer((socket) => {
      let buffer = '';
      let rcpt = '';
      let inData = false;
      socket.write('220 early.test ESMTP\r\n');
      socket.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('latin1');
        for (;;) {
          if (inData) {
            const end = buffer.indexOf('\r\n.\r\n');
            if (end < 0) return;
            const message = buffer.slice(0, end);
            buffer = buffer.slice(end + 5);
            inData = false;
            const answer = () => {
              delivered.push(/Subject: (\S+)/.exec(message)?.[1] ?? '?');
              socket.write('250 2.0.0 queued\r\n');
            };
            if (rcpt.startsWith('slow@')) setTimeout(answer, 300);
            else answer();
            continue;
          }
          const eol = buffer.indexOf('\r\n');
          if (eol < 0) return;
          const line = buffer.slice(0, eol);
          buffer = buffer.slice(eol + 2);
          const verb = line.slice(0, 4).toUpperCase();
          if (verb === 'RCPT') rcpt = /<([^>]*)>/.exec(line)?.[1] ?? '';
          if (verb === 'QUIT') return void socket.end('221 bye\r\n');
          if (verb !== 'DATA') {
            socket.write(verb === 'EHLO' ? '250 early.test\r\n' : '250 ok\r\n');
            continue;
          }
          socket.write('354 go ahead\r\n');
          if (rcpt.startsWith('early@')) socket.write('421 4.3.2 shutting down\r\n');
          else inData = true;
        }
      });
      socket.on('error', () => undefined);
    });
    earlyPort = await freePort();
    await new Promise<void>((resolve) => early.listen(earlyPort, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => early.close(() => resolve()));
  });

  it('keeps no slot for a mail the server answered while its ending was held: the next mails go at once', async () => {
    const pool = new WorkerSmtpPool(
      { pool: true, host: '127.0.0.1', port: earlyPort, maxConnections: 2, socketTimeout: 20_000 },
      { unconfirmedMax: 1 },
    );
    const send = (to: string, subject: string) => pool.send({ from: 'a@oms.test', to: [to] }, raw(subject));
    try {
      await pool.verify();
      const slow = send('slow@example.com', 'slow'); // holds the one slot for 300 ms
      await new Promise((r) => setTimeout(r, 50));
      await expect(send('early@example.com', 'early')).rejects.toMatchObject({ responseCode: 421 }); // answered while held
      await slow;
      const started = Date.now();
      await Promise.all([send('b@example.com', 'after-1'), send('b@example.com', 'after-2')]);
      expect(Date.now() - started).toBeLessThan(5_000); // not the 20 s socket timeout of a slot never freed
      expect(delivered).toEqual(expect.arrayContaining(['slow', 'after-1', 'after-2']));
      expect(delivered).not.toContain('early');
    } finally {
      await pool.close();
    }
  });
});
