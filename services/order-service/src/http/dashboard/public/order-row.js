// One row of the orders table, and what a live change to it shows and announces.
import { $, el } from './dom.js';
import { duration, money, shortId, when } from './format.js';
/** @import { Order } from './types.js' */

/**
 * @param {HTMLTableRowElement} tr
 * @param {Order} o
 */
export function renderRow(tr, o) {
  const items = o.items.map((i) => `${i.quantity} × ${i.name}`).join(', ');
  const badge = el('span', { className: `badge s-${o.status}`, textContent: o.status });
  if (o.failureReason) badge.title = o.failureReason;
  tr.dataset.status = o.status;
  tr.replaceChildren(
    el('td', {}, el('code', { title: o.id, textContent: shortId(o.id) })),
    el('td', { textContent: when(o.createdAt) }),
    el('td', { textContent: o.username }),
    el('td', { className: 'items', textContent: items }),
    el('td', { className: 'num', textContent: money(o.totalCents, o.currency) }),
    el('td', {}, badge),
    el('td', { className: 'num', textContent: duration(o.processingTimeMs) }),
  );
}

/** @param {HTMLTableRowElement} tr */
export function flash(tr) {
  // Alternating two identical animations restarts the highlight without forcing a reflow.
  const first = !tr.classList.contains('flash-a');
  tr.classList.toggle('flash-a', first);
  tr.classList.toggle('flash-b', !first);
}

let announcedAt = 0;

/** @param {string} text */
export function announce(text) {
  // Screen readers get at most one update a second, not one per event.
  if (Date.now() - announcedAt < 1000) return;
  announcedAt = Date.now();
  $('#announce').textContent = text;
}
