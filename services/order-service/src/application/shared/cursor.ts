import { DomainError } from '../../domain/errors';

/** Keyset position of the last row seen; lists are ordered by (createdAt, id). */
export interface CursorPosition {
  createdAt: Date;
  id: string;
}

const MAX_CURSOR_LENGTH = 512;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export class InvalidCursorError extends DomainError {
  constructor() {
    super('invalid-cursor', 'cursor is not one this service issued');
  }
}

/** Opaque to clients: base64url of {"t": ISO time, "i": id}. */
export function encodeCursor(pos: CursorPosition): string {
  return Buffer.from(JSON.stringify({ t: pos.createdAt.toISOString(), i: pos.id })).toString('base64url');
}

/** Strict: anything but a canonical cursor from encodeCursor is rejected (-> 400), never half-read. */
export function decodeCursor(cursor: string): CursorPosition {
  if (cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) throw new InvalidCursorError();
  const raw = Buffer.from(cursor, 'base64url');
  if (raw.toString('base64url') !== cursor) throw new InvalidCursorError();
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidCursorError();
  const { t, i, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || typeof t !== 'string' || typeof i !== 'string' || i.length === 0 || i.length > 128) {
    throw new InvalidCursorError();
  }
  const createdAt = new Date(t);
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== t) throw new InvalidCursorError();
  return { createdAt, id: i };
}
