// How figures read on the page: '—' stands for a value the service did not give.

/** @type {Map<string, Intl.NumberFormat>} */
const moneyFormats = new Map();

/**
 * An amount in minor units, in its currency's own number of decimals.
 * @param {number | undefined} minor
 * @param {string} currency
 */
export function money(minor, currency) {
  if (typeof minor !== 'number') return '—';
  try {
    let f = moneyFormats.get(currency);
    if (!f) moneyFormats.set(currency, (f = new Intl.NumberFormat(undefined, { style: 'currency', currency })));
    // Always resolved for a currency format; the DOM lib types it optional for every style.
    return f.format(minor / 10 ** (f.resolvedOptions().maximumFractionDigits ?? 2));
  } catch {
    return `${minor} ${currency}`; // a currency code this browser does not know
  }
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });

/** @param {string | null | undefined} iso */
export const when = (iso) => (iso ? dateFormat.format(new Date(iso)) : '—');

/** @param {number | null | undefined} ms */
export function duration(ms) {
  if (typeof ms !== 'number') return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** @param {number | null | undefined} n */
export const num = (n) => (typeof n === 'number' ? n.toLocaleString() : '—');

/** @param {number | null | undefined} n orders per second */
export const rate = (n) => (typeof n === 'number' ? `${Math.round(n).toLocaleString()}/s` : '—');

/** The tail of an id: enough to tell rows apart, the whole id is in the title. @param {string} id */
export const shortId = (id) => `…${id.slice(-8)}`;

/** @param {unknown} err */
export const errorText = (err) => (err instanceof Error ? err.message : String(err));
