/** SQS: the client, queue creation (with DLQ), start-up retry until SQS answers, and self-healing of dropped queues. Loads the AWS SDK. */
export * from './client';
export * from './ensure-queues';
export * from './queue-healing';
