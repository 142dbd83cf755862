export * from './common';
export * from './dto';
export * from './events';
export * from './queues';
