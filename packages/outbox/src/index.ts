export * from './types';
export * from './backoff';
export * from './relay';
export * from './sqs-publisher';
export * from './store-with-outbox';
