// First: it hooks http, fastify and the AWS SDK, which must not have loaded yet.
import { tracing } from './tracing';
import { readConfig } from './config';
import { createProcessingService } from './service';

/** The process: listens, consumes, and stops cleanly on SIGTERM / SIGINT. */
async function main(): Promise<void> {
  const cfg = readConfig();
  const service = await createProcessingService(cfg);
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
      (err) => {
        log.error({ err }, 'unclean shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // Listen first so liveness answers while we wait for SQS.
  await service.http.listen({ port: cfg.PORT, host: cfg.HOST });
  await service.start().catch((err: unknown) => {
    if (!stopping) throw err;
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`processing-service failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
