import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { OrderStatusChangedEvent } from '@oms/contracts';
import { createSqsClient, ensureQueue, type QueueRef } from '@oms/platform/sqs';
import { ConfigSchema, type Config } from '../../src/config';
import { createProcessingService, type ProcessingService } from '../../src/service';

export interface Harness {
  cfg: Config;
  service: ProcessingService;
  sqs: SQSClient;
  queues: { orders: QueueRef; ordersPriority: QueueRef; orderStatus: QueueRef };
  send(queue: QueueRef, body: string): Promise<void>;
  /** Status events received so far (drained from the status queue on each call). */
  statusEvents(): Promise<OrderStatusChangedEvent[]>;
  /** Visible + in-flight messages on a queue. */
  depth(queue: QueueRef): Promise<number>;
  /** Listens on a free port; returns the base URL. */
  listen(): Promise<string>;
  /** Starts the service (the queues are created up front so tests can pre-fill them). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** One service instance on fresh queues (unique names) and a fresh SQLite file. */
export async function createHarness(sqsEndpoint: string, env: Record<string, string> = {}): Promise<Harness> {
  const prefix = `t${randomUUID().slice(0, 8)}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'processing-it-'));
  const cfg = ConfigSchema.parse({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SQS_ENDPOINT: sqsEndpoint,
    QUEUE_ORDERS: `${prefix}-orders`,
    QUEUE_ORDERS_PRIORITY: `${prefix}-orders-priority`,
    QUEUE_ORDER_STATUS: `${prefix}-order-status`,
    SQLITE_PATH: path.join(dir, 'processing.sqlite'),
    PORT: '0',
    HOST: '127.0.0.1',
    RETRY_BASE_SEC: '1',
    RETRY_MAX_SEC: '2',
    ...env,
  });
  const sqs = createSqsClient(cfg);
  const [orders, ordersPriority, orderStatus] = await Promise.all([
    ensureQueue(sqs, cfg.QUEUE_ORDERS),
    ensureQueue(sqs, cfg.QUEUE_ORDERS_PRIORITY),
    ensureQueue(sqs, cfg.QUEUE_ORDER_STATUS),
  ]);
  const service = await createProcessingService(cfg);
  const received: OrderStatusChangedEvent[] = [];

  return {
    cfg,
    service,
    sqs,
    queues: { orders, ordersPriority, orderStatus },
    async send(queue, body) {
      await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: body }));
    },
    async statusEvents() {
      const res = await sqs.send(new ReceiveMessageCommand({ QueueUrl: orderStatus.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      const messages = res.Messages ?? [];
      if (messages.length) {
        received.push(...messages.map((m) => OrderStatusChangedEvent.parse(JSON.parse(m.Body!))));
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: orderStatus.url,
            Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
          }),
        );
      }
      return [...received];
    },
    async depth(queue) {
      const res = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queue.url,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      const a = res.Attributes ?? {};
      return Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0);
    },
    listen: () => service.http.listen({ port: 0, host: '127.0.0.1' }),
    start: () => service.start(),
    async stop() {
      await service.stop();
      sqs.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
