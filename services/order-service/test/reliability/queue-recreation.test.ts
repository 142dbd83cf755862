/**
 * fauxqs (like a LocalStack without persistence) forgets its queues when it restarts. The first
 * call that hears "queue does not exist" makes the service re-create them; the call itself still
 * fails and its caller's own retry then succeeds.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetQueueAttributesCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { freeStackPorts, startStack, type Stack } from '@oms/dev-stack';
import { createSqsClient, isQueueMissing, recreateMissingQueues } from '@oms/platform/sqs';
import { ensureOrderServiceQueues, type OrderServiceQueues } from '../../src/infrastructure/sqs/queues';

jest.setTimeout(60_000);

const names = { QUEUE_ORDERS: 'rq-orders', QUEUE_ORDERS_PRIORITY: 'rq-orders-priority', QUEUE_ORDER_STATUS: 'rq-order-status' };
const log = { info: () => {}, warn: () => {} };
let infra: Stack;
let dataDir: string;
let sqs: SQSClient;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oms-queue-recreation-'));
  infra = await startStack({ parts: 'infra', ports: await freeStackPorts(), dataDir });
  sqs = createSqsClient({ AWS_REGION: 'us-east-1', SQS_ENDPOINT: infra.urls.sqs });
});
afterAll(async () => {
  sqs?.destroy();
  await infra?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const attempt = async (fn: () => Promise<unknown>): Promise<unknown> => {
  try {
    await fn();
    return null;
  } catch (err) {
    return err;
  }
};

it('re-creates every queue after the broker restarted empty', async () => {
  let ensured = 0;
  recreateMissingQueues(sqs, () => ensureOrderServiceQueues(sqs, names, log).then(() => ensured++), log);
  const queues: OrderServiceQueues = await ensureOrderServiceQueues(sqs, names, log);
  const send = () => sqs.send(new SendMessageCommand({ QueueUrl: queues.orders.url, MessageBody: 'x' }));
  await send();

  await infra.part('sqs').kill('SIGKILL');
  await infra.part('sqs').restart();

  const first = await attempt(send);
  expect(isQueueMissing(first)).toBe(true);
  // A retry after the re-creation succeeds, on every queue and its DLQ (redrive included).
  for (let i = 0; i < 50 && ensured === 0; i++) await new Promise((r) => setTimeout(r, 100));
  expect(ensured).toBe(1);
  expect(await attempt(send)).toBeNull();
  for (const q of Object.values(queues)) {
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: q.url, AttributeNames: ['RedrivePolicy'] }));
    expect(JSON.parse(attrs.Attributes!.RedrivePolicy!)).toMatchObject({ deadLetterTargetArn: expect.stringContaining(`${q.name}-dlq`) });
  }
});

it('recognises only "queue does not exist" errors', () => {
  expect(isQueueMissing(Object.assign(new Error('x'), { name: 'QueueDoesNotExist' }))).toBe(true);
  expect(isQueueMissing({ name: 'Error', Code: 'AWS.SimpleQueueService.NonExistentQueue' })).toBe(true);
  expect(isQueueMissing(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(false);
  expect(isQueueMissing(null)).toBe(false);
  expect(isQueueMissing('QueueDoesNotExist')).toBe(false);
});
