export * from './types';
export * from './backoff';
export * from './relay';
export * from './sqs-publisher';
