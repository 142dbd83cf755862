import type { Logger } from './logger';

/** What a service's composition root hands the process runner. */
export interface RunnableService {
  http: { listen(address: { port: number; host: string }): Promise<unknown>; log: Pick<Logger, 'info' | 'error'> };
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs a service as this process: HTTP first (liveness answers while the queues come up), then
 * start; SIGTERM / SIGINT stop it once, run `beforeExit` (the tracing flush) and exit 0, or 1 when
 * the stop fails. A failure before it runs (config included) is printed and exits 1.
 */
export function runService(
  name: string,
  create: () => Promise<{ service: RunnableService; port: number; host: string }>,
  beforeExit: () => Promise<void> = async () => {},
): void {
  const run = async () => {
    const { service, port, host } = await create();
    const log = service.http.log;
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'shutting down');
      service.stop().then(
        async () => {
          await beforeExit();
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
    await service.http.listen({ port, host });
    await service.start().catch((err: unknown) => {
      if (!stopping) throw err;
    });
  };
  run().catch((err: unknown) => {
    process.stderr.write(`${name} failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
