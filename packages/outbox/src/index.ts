/**
 * The light core of @oms/outbox: the store port, the relay and the store-with-outbox helper. The
 * adapters are subpaths, so a process loads only the driver it uses: '@oms/outbox/sqlite',
 * '@oms/outbox/mongo' (mongoose), '@oms/outbox/sqs' (the publisher; the AWS SDK).
 */
export * from './types';
export * from './relay';
export * from './store-with-outbox';
