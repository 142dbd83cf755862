export * from './config';
export * from './sqs';
export * from './events';
export * from './logger';
export * from './queue-healing';
export * from './sqlite-group-commit';
export * from './sqlite-tuning';
