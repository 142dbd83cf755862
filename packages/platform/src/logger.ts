import type { LoggerOptions } from 'pino';
import { traceLogFields } from './tracing';

/** pino options shared by both services: JSON lines, no secrets, trace_id on lines written inside a trace. */
export function loggerOptions(service: string, level: string): LoggerOptions {
  return {
    level,
    base: { service },
    mixin: traceLogFields,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.refreshToken', '*.accessToken'],
      censor: '[redacted]',
    },
  };
}
