// First: it hooks http, fastify and the AWS SDK, which must not have loaded yet.
import { tracing } from './tracing';
import { runService } from '@oms/platform';
import { loadOrderServiceConfig } from './config';
import { createOrderService } from './service';

runService(
  'order-service',
  async () => {
    const config = loadOrderServiceConfig();
    return { service: await createOrderService(config), port: config.PORT, host: config.HOST };
  },
  async () => tracing?.stop(),
);
