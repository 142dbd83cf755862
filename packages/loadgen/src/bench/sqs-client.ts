/**
 * `pnpm bench:sqs [--rounds N]`: client CPU per AWS SDK call as the services make them
 * (createSqsClient; send, receive and delete of 10 order-sized messages) against fauxqs in its own
 * process (the dev stack's infra part, on free ports). The queue work's floor in the end-to-end figure.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { freeStackPorts, startStack } from '@oms/dev-stack';
import { createSqsClient } from '@oms/platform/sqs';
import { parseArgs, positiveInt } from '../args';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rounds: { type: 'string' } } });
  const rounds = positiveInt('rounds', values.rounds, 1_500);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oms-bench-sqs-'));
  const infra = await startStack({ parts: 'infra', ports: await freeStackPorts(), dataDir });
  try {
    const sqs = createSqsClient({ AWS_REGION: 'us-east-1', SQS_ENDPOINT: infra.urls.sqs });
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'bench-sqs-client' }));
    const body = JSON.stringify({ type: 'order.placed', data: { orderId: 'x'.repeat(36), note: 'y'.repeat(1_000) } });
    const round = async () => {
      await sqs.send(
        new SendMessageBatchCommand({ QueueUrl, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: String(i), MessageBody: body })) }),
      );
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }),
      );
      await sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }),
      );
    };
    for (let i = 0; i < Math.min(300, rounds); i++) await round(); // warm-up (JIT), not counted
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < rounds; i++) await round();
    const used = process.cpuUsage(cpu);
    const calls = rounds * 3;
    process.stdout.write(
      `${calls} calls (send / receive / delete of 10 messages): client CPU ${Math.round((used.user + used.system) / calls)} µs per call, ` +
        `wall ${Math.round(((performance.now() - started) * 1000) / calls)} µs per call (${process.version})\n`,
    );
    sqs.destroy();
  } finally {
    await infra.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:sqs failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
