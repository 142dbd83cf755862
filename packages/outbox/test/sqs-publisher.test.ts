import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CreateQueueCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { freeStackPorts, startStack, type Stack } from '@oms/dev-stack';
import { createSqsClient } from '@oms/platform/sqs';
import { SqliteOutbox } from '../src/sqlite';
import { SqsOutboxPublisher } from '../src/sqs-publisher';

jest.setTimeout(60_000);

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

// With tracing on, the publisher adds a span per row; that is tested end to end in
// packages/system-tests/test/tracing.test.ts. Here this process does not trace.
describe('SqsOutboxPublisher against a real fauxqs', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outbox-publisher-'));
  let infra: Stack;
  let sqs: SQSClient;

  beforeAll(async () => {
    infra = await startStack({ parts: 'infra', ports: await freeStackPorts(), dataDir: dir });
    sqs = createSqsClient({ AWS_REGION: 'us-east-1', SQS_ENDPOINT: infra.urls.sqs });
  });
  afterAll(async () => {
    sqs?.destroy();
    await infra?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("carries a row's stored trace context on as the message's traceparent attribute, and adds none to a row without one", async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `orders-${path.basename(dir)}` }));
    const db = new Database(path.join(dir, 'outbox.sqlite'));
    const outbox = new SqliteOutbox(db);
    const row = { aggregateId: 'o1', type: 'order.placed', destination: 'orders', payload: '{}', occurredAt: new Date(0) };
    outbox.insert({ ...row, id: 'traced', traceparent: TRACEPARENT });
    outbox.insert({ ...row, id: 'untraced' });
    const claimed = await outbox.claimOutboxBatch({ limit: 10, now: new Date(1), leaseUntil: new Date(30_000) });
    const result = await new SqsOutboxPublisher(sqs, () => QueueUrl!).publish(claimed);
    expect(result.published.sort()).toEqual(['traced', 'untraced']);

    const received: Message[] = [];
    while (received.length < 2) {
      const res = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }),
      );
      received.push(...(res.Messages ?? []));
    }
    const attributes = Object.fromEntries(
      received.map((m) => [m.MessageAttributes?.eventId?.StringValue, m.MessageAttributes?.traceparent?.StringValue ?? null]),
    );
    expect(attributes).toEqual({ traced: TRACEPARENT, untraced: null });
    db.close();
  });
});
