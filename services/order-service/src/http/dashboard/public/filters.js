// The orders panel's filters: sent to the search endpoint, and applied here to live orders so
// the table shows only what a fresh search would.
/** @import { Order } from './types.js' */

/** @typedef {{ status?: string, from?: string, to?: string, q?: string }} Filters */

/** @type {Filters} */
let filters = {};

export const currentFilters = () => filters;

export function clearFilters() {
  filters = {};
}

/**
 * Takes the filter form's fields; the dates as whole local days.
 * @param {FormData} f
 */
export function readFilters(f) {
  /** @param {FormDataEntryValue | null} v @param {string} time */
  const day = (v, time) => (v ? new Date(`${v}T${time}`).toISOString() : '');
  filters = {
    status: String(f.get('status') ?? ''),
    from: day(f.get('from'), '00:00:00'),
    to: day(f.get('to'), '23:59:59.999'),
    q: String(f.get('q') ?? '').trim(),
  };
}

/** Whether a live order belongs in the filtered table, by the search endpoint's criteria. @param {Order} o */
export function matches(o) {
  if (filters.status && o.status !== filters.status) return false;
  if (filters.from && o.createdAt < filters.from) return false;
  if (filters.to && o.createdAt > filters.to) return false;
  if (filters.q) {
    const q = filters.q.toLowerCase();
    const text = [o.username, ...o.items.flatMap((i) => [i.name, i.sku])].join(' ').toLowerCase();
    if (!text.includes(q) && String(o.totalCents) !== q) return false;
  }
  return true;
}
