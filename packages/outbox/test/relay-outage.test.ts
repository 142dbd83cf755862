import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import Database from 'better-sqlite3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { OutboxRelay } from '../src/relay';
import { SqliteOutbox } from '../src/sqlite';
import { SqsOutboxPublisher } from '../src/sqs-publisher';

/** A port nothing listens on: the SQS client gets ECONNREFUSED, as in a broker outage. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const silent = { info: () => {}, warn: () => {}, error: () => {} };

describe('OutboxRelay during a broker outage', () => {
  it('keeps rows pending with their attempts untouched, however many passes fail', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-outage-'));
    const db = new Database(path.join(dir, 'outbox.sqlite'));
    const outbox = new SqliteOutbox(db);
    const port = await closedPort();
    const sqs = new SQSClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    const queueUrl = `http://127.0.0.1:${port}/000000000000/orders`;
    outbox.insert({ id: 'e1', aggregateId: 'o1', type: 'order.placed', destination: 'orders', payload: '{}', occurredAt: new Date(0) });
    const relay = new OutboxRelay({
      store: outbox,
      publisher: new SqsOutboxPublisher(sqs, () => queueUrl),
      cron: '0 0 1 1 *', // never during the test: passes are driven by hand
      batchSize: 10,
      maxAttempts: 2,
      leaseMs: 30_000,
      log: silent,
    });
    try {
      for (let pass = 0; pass < 4; pass++) {
        // Make the row due again at once, as time passing would.
        db.prepare('UPDATE outbox SET next_attempt_at = 0').run();
        expect(await relay.publishOneBatch()).toBe(1);
      }
      const [row] = await outbox.listOutbox({ status: 'pending', limit: 10 });
      expect(row).toMatchObject({ id: 'e1', status: 'pending', attempts: 0 });
      expect(row?.lastError).toMatch(/ECONNREFUSED|connect/i);
      expect(await outbox.listOutbox({ status: 'failed', limit: 10 })).toEqual([]);
    } finally {
      sqs.destroy();
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
