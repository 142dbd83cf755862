/**
 * The light core of @oms/platform: nothing here loads fastify, mongoose, better-sqlite3 or the AWS
 * SDK (only zod, @opentelemetry/api and @opentelemetry/core). The heavy parts are subpaths:
 * '@oms/platform/sqs', '/mongo', '/sqlite', '/http', '/telemetry'.
 */
export * from './config';
export * from './events';
export * from './logger';
export * from './readiness';
export * from './retry';
export * from './service-process';
export * from './stats';
export * from './timeout';
export * from './tracing';
