// First: it hooks http, fastify and the AWS SDK, which must not have loaded yet.
import { tracing } from './tracing';
import { runService } from '@oms/platform';
import { readConfig } from './config';
import { createProcessingService } from './service';

runService(
  'processing-service',
  async () => {
    const cfg = readConfig();
    return { service: await createProcessingService(cfg), port: cfg.PORT, host: cfg.HOST };
  },
  async () => tracing?.stop(),
);
