import { randomUUID } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { QueueKey } from '@oms/contracts';
import { SqliteOutbox } from '@oms/outbox/sqlite';
import { createOutboxRelay } from '../../../src/infrastructure/sqs/outbox-relay';
import type { OrderServiceQueues } from '../../../src/infrastructure/sqs/queues';
import { quiet, startSqsFixture, type SqsFixture } from './sqs-fixture';

jest.setTimeout(60_000);

const MAX_DEPTH = 300;

describe('outbox relay backpressure against a real fauxqs', () => {
  let fx: SqsFixture;
  let sqs: SQSClient;
  let queues: OrderServiceQueues;
  let db: Database.Database;

  beforeAll(async () => {
    fx = await startSqsFixture('order-relay-bp');
    ({ sqs, queues } = fx);
    db = new Database(path.join(fx.dataDir, 'outbox.sqlite'));
  });

  afterAll(async () => {
    db?.close();
    await fx?.stop();
  });

  const depth = async (key: QueueKey) =>
    Number(
      (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queues[key].url, AttributeNames: ['ApproximateNumberOfMessages'] })))
        .Attributes?.ApproximateNumberOfMessages ?? 0,
    );

  it('keeps the backlog in the outbox while the order queues are full, VIP rows first, and resumes as consumers make room', async () => {
    const outbox = new SqliteOutbox(db);
    // 900 normal rows older than 100 VIP rows: a backlog in which age alone would send the VIP rows last.
    const rows = Array.from({ length: 1000 }, (_, i) => {
      const vip = i >= 900;
      return {
        id: randomUUID(),
        aggregateId: `o${i}`,
        type: 'order.placed',
        destination: vip ? QueueKey.ordersPriority : QueueKey.orders,
        payload: JSON.stringify({ n: i }),
        occurredAt: new Date(Date.now() - 60_000 + i),
        priority: vip,
      };
    });
    db.transaction(() => outbox.insertMany(rows))();
    const relay = createOutboxRelay({
      store: outbox,
      sqs,
      queues,
      settings: {
        OUTBOX_CRON: '0 0 1 1 *',
        OUTBOX_BATCH_SIZE: 100,
        OUTBOX_MAX_ATTEMPTS: 10,
        OUTBOX_LEASE_MS: 30_000,
        OUTBOX_MAX_QUEUE_DEPTH: MAX_DEPTH,
      },
      log: quiet,
    });

    await relay.drain();
    expect((await outbox.outboxStats(new Date())).pending).toBe(1000 - MAX_DEPTH);
    expect(await depth(QueueKey.ordersPriority)).toBe(100);
    expect(await depth(QueueKey.orders)).toBe(MAX_DEPTH - 100);

    // A consumer takes 200 normal messages: the relay publishes 200 more, and no more.
    let taken = 0;
    while (taken < 200) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queues[QueueKey.orders].url, MaxNumberOfMessages: 10 }),
      );
      if (Messages.length === 0) continue;
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queues[QueueKey.orders].url,
          Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
      taken += Messages.length;
    }
    const deadline = Date.now() + 20_000;
    while ((await outbox.outboxStats(new Date())).pending > 1000 - MAX_DEPTH - 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250)); // the relay asks the queue depth again at most every 200 ms
      await relay.drain();
    }
    expect((await outbox.outboxStats(new Date())).pending).toBe(1000 - MAX_DEPTH - 200);
    expect(await depth(QueueKey.orders)).toBe(MAX_DEPTH - 100);
    await relay.stop();
  });
});
