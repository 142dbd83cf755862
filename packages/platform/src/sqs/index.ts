/** SQS: the client, queue creation (with DLQ), and self-healing of dropped queues. Loads the AWS SDK. */
export * from './client';
export * from './queue-healing';
