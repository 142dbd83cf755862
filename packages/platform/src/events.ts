import { randomUUID } from 'node:crypto';
import type { IntegrationEvent } from '@oms/contracts';

/** Wraps event data in the shared envelope with a fresh id; the id is what consumers dedupe on. */
export function makeEvent<E extends IntegrationEvent>(type: E['type'], data: E['data'], source: string, now: Date = new Date()): E {
  return { id: randomUUID(), type, version: 1, occurredAt: now.toISOString(), source, data } as E;
}
