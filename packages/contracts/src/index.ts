export * from './common';
export * from './dto';
export * from './events';
export * from './queues';
export * from './load-runs';
