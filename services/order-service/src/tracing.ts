import { startTracing } from '@oms/platform/telemetry';

/** main.ts imports this first: the instrumentations must hook http, fastify and the AWS SDK before they load. */
export const tracing = startTracing('order-service');
