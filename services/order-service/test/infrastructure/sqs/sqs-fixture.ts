import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { freeStackPorts, startStack } from '@oms/dev-stack';
import { createSqsClient } from '@oms/platform/sqs';
import { ensureOrderServiceQueues, type OrderServiceQueues } from '../../../src/infrastructure/sqs/queues';

export const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** The embedded SQS server (a real process) with this service's queues under fresh names. */
export interface SqsFixture {
  sqs: SQSClient;
  queues: OrderServiceQueues;
  names: { QUEUE_ORDERS: string; QUEUE_ORDERS_PRIORITY: string; QUEUE_ORDER_STATUS: string };
  /** A fresh directory, removed by stop(). */
  dataDir: string;
  stop(): Promise<void>;
}

export async function startSqsFixture(name: string): Promise<SqsFixture> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  const infra = await startStack({ parts: 'infra', ports: await freeStackPorts(), dataDir });
  const sqs = createSqsClient({ AWS_REGION: 'us-east-1', SQS_ENDPOINT: infra.urls.sqs });
  const suffix = randomUUID().slice(0, 8);
  const names = {
    QUEUE_ORDERS: `orders-${suffix}`,
    QUEUE_ORDERS_PRIORITY: `orders-priority-${suffix}`,
    QUEUE_ORDER_STATUS: `order-status-${suffix}`,
  };
  const queues = await ensureOrderServiceQueues(sqs, names, quiet);
  return {
    sqs,
    queues,
    names,
    dataDir,
    async stop() {
      sqs.destroy();
      await infra.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Everything receivable from a queue right now (polls of up to a second until one comes back empty). */
export async function receiveAll(sqs: SQSClient, queueUrl: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const res = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }),
    );
    if (!res.Messages?.length) return all;
    all.push(...res.Messages);
  }
}
