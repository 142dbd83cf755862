import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { PriorityPoller, type Disposition, type PolledQueue } from '../../../src/infrastructure/sqs/priority-poller';

const VIP: PolledQueue = { name: 'orders-priority', url: 'sqs://orders-priority' };
const NORMAL: PolledQueue = { name: 'orders', url: 'sqs://orders' };

const log = { child: () => log, debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const messages = (...ids: string[]): Message[] => ids.map((id) => ({ MessageId: id, ReceiptHandle: `rh-${id}`, Body: '{}' }));

/**
 * A fake SQS: each receive is answered by `answer` (default: nothing, after a few milliseconds);
 * an aborted request rejects as the SDK's would, and what the server had taken for it is lost.
 */
function fakeSqs(answer: (queueUrl: string, waitSec: number) => Promise<Message[]> | null) {
  const deleted: string[] = [];
  const released: string[] = [];
  const send = jest.fn(async (command: unknown, options?: { abortSignal?: AbortSignal }) => {
    if (command instanceof ReceiveMessageCommand) {
      const pending =
        answer(command.input.QueueUrl!, command.input.WaitTimeSeconds ?? 0) ?? new Promise<Message[]>((r) => setTimeout(() => r([]), 5));
      const aborted = new Promise<never>((_, reject) =>
        options?.abortSignal?.addEventListener('abort', () => reject(new Error('aborted'))),
      );
      return { Messages: await Promise.race([pending, aborted]) };
    }
    if (command instanceof DeleteMessageBatchCommand) {
      deleted.push(...command.input.Entries!.map((e) => e.ReceiptHandle!));
      return { Failed: [] };
    }
    if (command instanceof ChangeMessageVisibilityCommand) {
      if (command.input.VisibilityTimeout === 0) released.push(command.input.ReceiptHandle!);
      return {};
    }
    throw new Error('unexpected command');
  });
  return { sqs: { send } as unknown as SQSClient, deleted, released };
}

function poller(sqs: SQSClient, handle: (message: Message) => Promise<Disposition>) {
  return new PriorityPoller({
    sqs,
    queues: [VIP, NORMAL],
    concurrency: 4,
    batchSize: 2,
    visibilityTimeoutSec: 30,
    idleWaitSec: 1,
    handle,
    log,
  });
}

describe('PriorityPoller stop', () => {
  it('finishes the messages in hand and deletes them before it resolves', async () => {
    let first = true;
    const fake = fakeSqs((url) => (url === VIP.url && first ? ((first = false), Promise.resolve(messages('a', 'b'))) : null));
    const inHand = deferred<void>();
    const started: string[] = [];
    const p = poller(fake.sqs, async (m) => {
      started.push(m.MessageId!);
      await inHand.promise;
      return { ack: true };
    });
    p.start();
    while (started.length < 2) await new Promise((r) => setTimeout(r, 5));

    let stopped = false;
    const stopping = p.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped).toBe(false);
    inHand.resolve();
    await stopping;

    expect(fake.deleted.sort()).toEqual(['rh-a', 'rh-b']);
    expect(fake.released).toEqual([]);
  });

  it('releases what a receive brings back after stop began, without starting it', async () => {
    const answered = deferred<Message[]>();
    let receives = 0;
    const fake = fakeSqs(() => (++receives === 1 ? answered.promise : null));
    const handle = jest.fn(async (): Promise<Disposition> => ({ ack: true }));
    const p = poller(fake.sqs, handle);
    p.start();
    while (receives === 0) await new Promise((r) => setTimeout(r, 5));

    const stopping = p.stop();
    // The server had already taken these for the receive in flight when the stop came.
    answered.resolve(messages('c', 'd'));
    await stopping;

    expect(handle).not.toHaveBeenCalled();
    expect(fake.released.sort()).toEqual(['rh-c', 'rh-d']);
    expect(fake.deleted).toEqual([]);
  });

  it('releases what the idle long polls bring back after stop began', async () => {
    const longPolls = new Map<string, ReturnType<typeof deferred<Message[]>>>();
    const fake = fakeSqs((url, waitSec) => {
      if (!waitSec || longPolls.has(url)) return null;
      const answer = deferred<Message[]>();
      longPolls.set(url, answer);
      return answer.promise;
    });
    const handle = jest.fn(async (): Promise<Disposition> => ({ ack: true }));
    const p = poller(fake.sqs, handle);
    p.start();
    while (longPolls.size < 2) await new Promise((r) => setTimeout(r, 5));

    const stopping = p.stop();
    longPolls.get(NORMAL.url)!.resolve(messages('n'));
    longPolls.get(VIP.url)!.resolve([]);
    await stopping;

    expect(handle).not.toHaveBeenCalled();
    expect(fake.released).toEqual(['rh-n']);
  });
});
