// The processing and cache card.
import { setText } from './dom.js';
import { duration, num } from './format.js';
/** @import { Stats } from './types.js' */

/** @param {Stats | null} body null when the figures could not be fetched */
export function renderStats(body) {
  const p = body?.processing;
  const c = body?.cache;
  setText('#s-count', num(p?.count));
  setText('#s-avg', duration(p?.avgMs));
  setText('#s-p50', duration(p?.p50Ms));
  setText('#s-p99', duration(p?.p99Ms));
  setText('#s-ratio', c ? `${(c.hitRatio * 100).toFixed(1)} %` : '—');
  setText('#s-hits', c ? `${num(c.hits)} / ${num(c.misses)}` : '—');
}
