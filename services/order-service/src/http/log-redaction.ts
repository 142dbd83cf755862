import type { FastifyRequest, FastifyServerOptions } from 'fastify';

const SECRET_PARAMS = /([?&]access_token=)[^&#]*/gi;

/** EventSource can only send its token in the URL; it must not reach the logs with it. */
export const redactUrl = (url: string): string => url.replace(SECRET_PARAMS, '$1[redacted]');

/** Fastify's logger options with its request serializer (the same fields) logging a redacted URL. */
export function withRedactedUrls(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return logger;
  const options = logger === true ? {} : logger;
  return {
    ...options,
    serializers: {
      ...options.serializers,
      req: (req: FastifyRequest) => ({
        method: req.method,
        url: redactUrl(req.url),
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
  };
}
