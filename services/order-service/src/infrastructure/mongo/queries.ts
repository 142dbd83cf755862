import mongoose from 'mongoose';
import type { AdminOrderQuery } from '../../application/orders/ports';
import type { Page, PageCursor } from '../../application/shared/page';

/**
 * Filter builders. The connection runs with sanitizeFilter, which rewrites any operator object it
 * finds into a literal $eq match; the operators written here are marked with mongoose.trusted().
 */

/** Newest first: rows strictly after the cursor in (createdAt desc, _id desc) order. */
export function afterCursor(after: PageCursor | null) {
  if (!after) return {};
  return {
    $or: [
      { createdAt: mongoose.trusted({ $lt: after.createdAt }) },
      { createdAt: after.createdAt, _id: mongoose.trusted({ $lt: after.id }) },
    ],
  };
}

/**
 * A user's order placed with this Idempotency-Key. The $type test lets the planner use the partial
 * unique index `orders_idempotency`: an equality alone does not imply its `$type: 'string'` filter.
 */
export function idempotencyKeyFilter(userId: string, key: string) {
  return { userId, idempotencyKey: mongoose.trusted({ $eq: key, $type: 'string' as const }) };
}

export const NEWEST_FIRST = { createdAt: -1, _id: -1 } as const;

/** Page from limit+1 rows: the extra row only says that more follow. */
export function toPage<D extends { _id: string; createdAt: Date }, T>(docs: D[], limit: number, map: (d: D) => T): Page<T> {
  const more = docs.length > limit;
  const kept = more ? docs.slice(0, limit) : docs;
  const last = kept[kept.length - 1];
  return { items: kept.map(map), next: more && last ? { createdAt: last.createdAt, id: last._id } : null };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Admin search, as the SQLite adapter does it: status, createdAt in [from, to), and q matching
 * product name or sku or user name (case-insensitive substring) or equal to the total in minor units.
 */
export function adminOrderFilter(query: AdminOrderQuery) {
  const and: object[] = [];
  const cursor = afterCursor(query.after);
  if (query.after) and.push(cursor);
  if (query.status) and.push({ status: query.status });
  if (query.from || query.to) {
    and.push({
      createdAt: mongoose.trusted({ ...(query.from ? { $gte: query.from } : {}), ...(query.to ? { $lt: query.to } : {}) }),
    });
  }
  const text = query.q?.trim();
  if (text) {
    const like = new RegExp(escapeRegExp(text), 'i');
    const anyOf: object[] = [{ 'items.name': like }, { 'items.sku': like }, { username: like }];
    if (/^\d{1,15}$/.test(text)) anyOf.push({ totalCents: Number(text) });
    and.push({ $or: anyOf });
  }
  return and.length > 0 ? { $and: and } : {};
}
