/** The HTTP parts both services' fastify servers share: RFC 9457 problem+json answers and fastify's error hooks. */
export * from './problem';
