// The orders panel: a filtered, paged table that live events keep current without re-fetching.
import { api } from './api.js';
import { $, el } from './dom.js';
import { clearFilters, currentFilters, matches, readFilters } from './filters.js';
import { errorText, shortId } from './format.js';
import { announce, flash, renderRow } from './order-row.js';
/** @import { Order } from './types.js' */

const PAGE = 50;
const MAX_ROWS = 500; // keeps the DOM light when a load test streams thousands of orders
/** @type {Record<Order['status'], number>} */
const RANK = { PENDING: 0, PROCESSING: 1, PROCESSED: 2, FAILED: 2 };

/** @typedef {{ tr: HTMLTableRowElement, order: Order }} Row */

/** @type {Map<string, Row>} */
const rows = new Map();
/** @type {string | null} */
let cursor = null;

const tbody = () => $('#orders tbody', HTMLTableSectionElement);
const more = () => $('#more', HTMLButtonElement);

/** @param {Order} a @param {Order} b */
const newer = (a, b) => a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id);

/** @param {Element | null} tr */
const orderOf = (tr) => (tr instanceof HTMLElement ? rows.get(tr.dataset.id ?? '')?.order : undefined);

/**
 * A known order's newer state. Never moves a status backwards (events can overtake a page load).
 * @param {Row} known
 * @param {Order} o
 * @param {boolean} live
 */
function update(known, o, live) {
  if (RANK[o.status] < RANK[known.order.status]) return;
  const changed = known.order.status !== o.status;
  known.order = { ...known.order, ...o };
  renderRow(known.tr, known.order);
  if (live && changed) {
    flash(known.tr);
    announce(`Order ${shortId(o.id)} is ${o.status}`);
  }
}

/**
 * Inserts or updates one order, newest first; `live` rows get a highlight.
 * @param {Order} o
 * @param {boolean} live
 */
function upsert(o, live) {
  const known = rows.get(o.id);
  if (known) return update(known, o, live);
  const body = tbody();
  const last = orderOf(body.lastElementChild);
  // An order older than the loaded window belongs to a page not fetched yet.
  if (live && cursor && last && !newer(o, last)) return;
  const tr = el('tr');
  tr.dataset.id = o.id;
  renderRow(tr, o);
  rows.set(o.id, { tr, order: o });
  let before = body.firstElementChild;
  while (before && !newer(o, /** @type {Order} */ (orderOf(before)))) before = before.nextElementSibling;
  body.insertBefore(tr, before);
  if (live) {
    flash(tr);
    announce(`New order ${shortId(o.id)}, ${o.status}`);
    trim();
  }
  $('#orders-empty').hidden = true;
}

function trim() {
  if (rows.size <= MAX_ROWS) return;
  const body = tbody();
  while (rows.size > MAX_ROWS) {
    const tr = /** @type {HTMLTableRowElement} */ (body.lastElementChild);
    rows.delete(tr.dataset.id ?? '');
    tr.remove();
  }
  cursor = null; // the trimmed rows broke the page chain; a fresh search pages again
  more().hidden = true;
  $('#orders-note').textContent = `Showing the newest ${MAX_ROWS}; apply the filters again to page further.`;
}

/** The first page for the filters, or with `append` the next one. */
export async function loadOrders(append = false) {
  const params = new URLSearchParams({ limit: String(PAGE) });
  for (const [k, v] of Object.entries(currentFilters())) if (v) params.set(k, v);
  if (append && cursor) params.set('cursor', cursor);
  $('#orders-error').textContent = '';
  more().disabled = true;
  // Cleared before the request, so live events arriving meanwhile are kept and merged.
  if (!append) clearOrders();
  try {
    const page = await api.orders(params);
    for (const o of page.data) upsert(o, false);
    cursor = page.nextCursor;
    more().hidden = !cursor;
    $('#orders-empty').hidden = rows.size > 0;
  } catch (err) {
    $('#orders-error').textContent = `Orders could not be loaded: ${errorText(err)}`;
  } finally {
    more().disabled = false;
  }
}

export function clearOrders() {
  rows.clear();
  cursor = null;
  tbody().replaceChildren();
  $('#orders-note').textContent = '';
}

/** An order from the stream: shown if it is on the page already or matches the filters. @param {Order} o */
export function liveOrder(o) {
  if (rows.has(o.id) || matches(o)) upsert(o, true);
}

/** @param {string} id */
export function removeOrder(id) {
  rows.get(id)?.tr.remove();
  rows.delete(id);
  $('#orders-empty').hidden = rows.size > 0;
}

export function bindOrders() {
  const form = $('#filters', HTMLFormElement);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    readFilters(new FormData(form));
    loadOrders();
  });
  form.addEventListener('reset', () => {
    clearFilters();
    setTimeout(loadOrders);
  });
  more().addEventListener('click', () => loadOrders(true));
  $('#orders-h').tabIndex = -1;
}
