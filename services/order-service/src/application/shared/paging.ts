import { decodeCursor, encodeCursor, InvalidCursorError } from './cursor';
import { ValidationError } from './errors';
import type { Page, PageRequest } from './page';

export interface PageQuery {
  cursor?: string | undefined;
  limit: number;
}

export interface PageResult<T> {
  items: T[];
  nextCursor: string | null;
}

export function toPageRequest(query: PageQuery): PageRequest {
  if (query.cursor === undefined) return { after: null, limit: query.limit };
  try {
    return { after: decodeCursor(query.cursor), limit: query.limit };
  } catch (err) {
    if (err instanceof InvalidCursorError) {
      throw new ValidationError('invalid-cursor', err.message, [{ path: 'cursor', message: err.message }]);
    }
    throw err;
  }
}

export const toPageResult = <T>(page: Page<T>): PageResult<T> => ({
  items: page.items,
  nextCursor: page.next ? encodeCursor(page.next) : null,
});
