// First: it hooks http, fastify and the AWS SDK, which must not have loaded yet.
import { tracing } from './tracing';
import { loadOrderServiceConfig } from './config';
import { createOrderService } from './service';

async function main(): Promise<void> {
  const config = loadOrderServiceConfig();
  const service = await createOrderService(config);
  const log = service.http.log;

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    service.stop().then(
      async () => {
        await tracing?.stop();
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'unclean shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  // HTTP first: liveness answers (and orders queue up in the outbox) while SQS is still coming up.
  await service.http.listen({ port: config.PORT, host: config.HOST });
  await service.start().catch((err: unknown) => {
    if (!stopping) throw err;
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`order-service failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
