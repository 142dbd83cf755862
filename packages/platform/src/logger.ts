import type { LoggerOptions } from 'pino';
import { traceLogFields } from './tracing';

/**
 * The one logger shape every package and service codes against: pino's Logger (and fastify's
 * request/instance logger) satisfy it. A function that needs less asks for less, e.g.
 * `Pick<Logger, 'info' | 'warn'>`, so a test can hand it a two-method fake.
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: object): Logger;
}

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
