import net from 'node:net';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { createSqsClient } from '@oms/platform/sqs';
import { createSqsQueueAdmin } from '../../../src/infrastructure/sqs/sqs-queue-admin';
import { adminLogin, bearer, json, startHarness } from '../../http/harness';

jest.setTimeout(30_000);

/** Takes TCP connections and never answers: an SQS endpoint that hangs (a stopped process, a dead proxy). */
async function silentServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('a queue broker that never answers', () => {
  it('makes readiness answer 503 and the queue monitor report it, instead of hanging them', async () => {
    const broker = await silentServer();
    const sqs = createSqsClient({ AWS_REGION: 'us-east-1', SQS_ENDPOINT: broker.url });
    const ref = { name: 'orders', url: `${broker.url}/000000000000/orders`, dlqUrl: `${broker.url}/000000000000/orders-dlq` };
    const h = await startHarness({
      deps: {
        queueReady: async () => {
          await sqs.send(new GetQueueAttributesCommand({ QueueUrl: ref.url, AttributeNames: ['QueueArn'] }));
        },
        queueAdmin: createSqsQueueAdmin(sqs, ['orders'], () => [ref]),
      },
    });
    try {
      const ready = await h.call({ url: '/api/health/ready' });
      expect(ready.statusCode).toBe(503);
      expect(json(ready)).toEqual({ status: 'not-ready', checks: { db: 'ok', queue: 'down' } });

      const admin = (await adminLogin(h.call)).token;
      const monitor = await h.call({ url: '/api/admin/queues', headers: bearer(admin) });
      expect(monitor.statusCode).toBe(200);
      expect(json(monitor)).toMatchObject({ queues: [], queuesError: 'no answer within 3000 ms', outbox: { pending: 0, failed: 0 } });
    } finally {
      await h.close();
      sqs.destroy();
      await broker.close();
    }
  });
});
