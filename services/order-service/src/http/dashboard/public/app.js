// OMS admin dashboard: REST for reads and actions, one EventSource for live order updates.
// No polling: the orders table changes only on SSE events, the ops panel refreshes on them too.
const $ = (sel) => document.querySelector(sel);
const KEY = 'oms.admin.session';
const PAGE = 50;
const MAX_ROWS = 500; // keeps the DOM light when a load test streams thousands of orders
const RANK = { PENDING: 0, PROCESSING: 1, PROCESSED: 2, FAILED: 2 };

let session = null; // { accessToken, refreshToken, expiresAt, user }
let refreshing = null;
let refreshTimer = 0;
let stream = null;
let streamRetry = 0;
let filters = {};
let cursor = null;
let opsAt = 0;
let opsTimer = 0;
let announcedAt = 0;
const rows = new Map(); // order id -> { tr, order }

// ---- session ---------------------------------------------------------------

function saveSession(body) {
  const user = body.user ?? session?.user;
  session = {
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    expiresAt: Date.now() + body.expiresIn * 1000,
    user,
  };
  sessionStorage.setItem(KEY, JSON.stringify(session));
  clearTimeout(refreshTimer);
  // Refresh a minute (or a fifth of the lifetime, if shorter) before the access token expires.
  const lead = Math.min(60_000, body.expiresIn * 200);
  refreshTimer = setTimeout(() => refreshTokens().catch(() => {}), Math.max(1000, session.expiresAt - Date.now() - lead));
}

function refreshTokens() {
  refreshing ??= fetch('/api/auth/refresh', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refreshToken: session?.refreshToken }),
  })
    .then(async (res) => {
      if (!res.ok) throw new Error('Your session has expired; please log in again.');
      saveSession(await res.json());
    })
    .catch((err) => {
      signOut(err.message);
      throw err;
    })
    .finally(() => { refreshing = null; });
  return refreshing;
}

async function api(path, { method = 'GET', body } = {}, retried = false) {
  const headers = { authorization: `Bearer ${session?.accessToken}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 401 && !retried && session) {
    await refreshTokens();
    return api(path, { method, body }, true);
  }
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) {
    const err = new Error(data?.detail || data?.title || `${method} ${path} answered ${res.status}`);
    err.status = res.status;
    throw err;
  }
  return data;
}

// ---- formatting ------------------------------------------------------------

const moneyFmt = new Map();
function money(minor, currency) {
  if (typeof minor !== 'number') return '—';
  try {
    let f = moneyFmt.get(currency);
    if (!f) moneyFmt.set(currency, (f = new Intl.NumberFormat(undefined, { style: 'currency', currency })));
    return f.format(minor / 10 ** f.resolvedOptions().maximumFractionDigits);
  } catch {
    return `${minor} ${currency}`;
  }
}
const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });
const when = (iso) => (iso ? dateFmt.format(new Date(iso)) : '—');
function duration(ms) {
  if (typeof ms !== 'number') return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}
const num = (n) => (typeof n === 'number' ? n.toLocaleString() : '—');
const shortId = (id) => `…${String(id).slice(-8)}`;

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function announce(text) {
  // Screen readers get at most one update a second, not one per event.
  if (Date.now() - announcedAt < 1000) return;
  announcedAt = Date.now();
  $('#announce').textContent = text;
}

// ---- orders table ----------------------------------------------------------

function renderRow(tr, o) {
  const items = (o.items ?? []).map((i) => `${i.quantity} × ${i.name}`).join(', ');
  const badge = el('span', { className: `badge s-${o.status}`, textContent: o.status });
  if (o.failureReason) badge.title = o.failureReason;
  tr.dataset.status = o.status;
  tr.replaceChildren(
    el('td', {}, el('code', { title: o.id, textContent: shortId(o.id) })),
    el('td', { textContent: when(o.createdAt) }),
    el('td', { textContent: o.username ?? o.customer?.name ?? shortId(o.userId) }),
    el('td', { className: 'items', textContent: items }),
    el('td', { className: 'num', textContent: money(o.totalCents, o.currency) }),
    el('td', {}, badge),
    el('td', { className: 'num', textContent: duration(o.processingTimeMs) }),
  );
}

const newer = (a, b) => a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id);

function flash(tr) {
  // Alternating two identical animations restarts the highlight without forcing a reflow.
  const first = !tr.classList.contains('flash-a');
  tr.classList.toggle('flash-a', first);
  tr.classList.toggle('flash-b', !first);
}

/** Inserts or updates one order; `live` rows get a highlight. Never moves a status backwards. */
function upsert(o, live) {
  const known = rows.get(o.id);
  if (known) {
    if ((RANK[o.status] ?? 0) < (RANK[known.order.status] ?? 0)) return;
    const changed = known.order.status !== o.status;
    known.order = { ...known.order, ...o };
    renderRow(known.tr, known.order);
    if (live && changed) {
      flash(known.tr);
      announce(`Order ${shortId(o.id)} is ${o.status}`);
    }
    return;
  }
  const tbody = $('#orders tbody');
  const last = tbody.lastElementChild && rows.get(tbody.lastElementChild.dataset.id)?.order;
  // An order older than the loaded window belongs to a page not fetched yet.
  if (live && cursor && last && !newer(o, last)) return;
  const tr = el('tr');
  tr.dataset.id = o.id;
  renderRow(tr, o);
  rows.set(o.id, { tr, order: o });
  let before = tbody.firstElementChild;
  while (before && !newer(o, rows.get(before.dataset.id).order)) before = before.nextElementSibling;
  tbody.insertBefore(tr, before);
  if (live) {
    flash(tr);
    announce(`New order ${shortId(o.id)}, ${o.status}`);
    trim();
  }
  $('#orders-empty').hidden = true;
}

function trim() {
  const tbody = $('#orders tbody');
  if (rows.size <= MAX_ROWS) return;
  while (rows.size > MAX_ROWS) {
    rows.delete(tbody.lastElementChild.dataset.id);
    tbody.lastElementChild.remove();
  }
  cursor = null; // the trimmed rows broke the page chain; a fresh search pages again
  $('#more').hidden = true;
  $('#orders-note').textContent = `Showing the newest ${MAX_ROWS}; apply the filters again to page further.`;
}

function matches(o) {
  if (filters.status && o.status !== filters.status) return false;
  if (filters.from && o.createdAt < filters.from) return false;
  if (filters.to && o.createdAt > filters.to) return false;
  if (filters.q) {
    const q = filters.q.toLowerCase();
    const text = [o.username, ...(o.items ?? []).flatMap((i) => [i.name, i.sku])].join(' ').toLowerCase();
    if (!text.includes(q) && String(o.totalCents) !== q) return false;
  }
  return true;
}

async function loadOrders(append = false) {
  const params = new URLSearchParams({ limit: String(PAGE) });
  for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
  if (append && cursor) params.set('cursor', cursor);
  $('#orders-error').textContent = '';
  $('#more').disabled = true;
  if (!append) {
    // Cleared before the request, so live events arriving meanwhile are kept and merged.
    rows.clear();
    cursor = null;
    $('#orders tbody').replaceChildren();
    $('#orders-note').textContent = '';
  }
  try {
    const page = await api(`/api/admin/orders?${params}`);
    for (const o of page.data) upsert(o, false);
    cursor = page.nextCursor ?? null;
    $('#more').hidden = !cursor;
    $('#orders-empty').hidden = rows.size > 0;
  } catch (err) {
    $('#orders-error').textContent = `Orders could not be loaded: ${err.message}`;
  } finally {
    $('#more').disabled = false;
  }
}

function readFilters(form) {
  const f = new FormData(form);
  const day = (v, time) => (v ? new Date(`${v}T${time}`).toISOString() : '');
  filters = {
    status: f.get('status'),
    from: day(f.get('from'), '00:00:00'),
    to: day(f.get('to'), '23:59:59.999'),
    q: String(f.get('q') ?? '').trim(),
  };
}

// ---- live stream -----------------------------------------------------------

function setConn(state, text) {
  const node = $('#conn');
  node.dataset.state = state;
  node.textContent = text;
}

function openStream(resync) {
  stream?.close();
  const es = new EventSource(`/api/orders/stream?access_token=${encodeURIComponent(session.accessToken)}`);
  stream = es;
  setConn('wait', 'Connecting…');
  const onOrder = (ev) => {
    const o = JSON.parse(ev.data);
    if (rows.has(o.id) || matches(o)) upsert(o, true);
    scheduleOps();
  };
  es.addEventListener('order.created', onOrder);
  es.addEventListener('order.status-changed', onOrder);
  es.addEventListener('order.deleted', (ev) => {
    const { id } = JSON.parse(ev.data);
    rows.get(id)?.tr.remove();
    rows.delete(id);
    $('#orders-empty').hidden = rows.size > 0;
    scheduleOps();
  });
  // The server could not replay what this page missed (restart, or a gap longer than its buffer).
  es.addEventListener('reload', () => {
    loadOrders();
    refreshOps();
  });
  es.onopen = () => {
    streamRetry = 0;
    setConn('live', 'Live');
    // A new connection cannot resume by Last-Event-ID, so reload what may have been missed.
    if (resync) {
      resync = false;
      loadOrders();
      refreshOps();
    }
  };
  es.onerror = () => {
    if (es !== stream) return;
    if (es.readyState === EventSource.CONNECTING) return setConn('wait', 'Reconnecting…');
    // Closed for good (e.g. the token expired): reconnect with a fresh token, backing off.
    setConn('off', 'Offline — retrying');
    const delay = Math.min(30_000, 1000 * 2 ** streamRetry++);
    setTimeout(async () => {
      if (es !== stream || !session) return;
      if (session.expiresAt - Date.now() < 30_000) await refreshTokens().catch(() => {});
      if (session && es === stream) openStream(true);
    }, delay);
  };
}

// ---- ops panel -------------------------------------------------------------

function scheduleOps() {
  // At most one refresh every 2 s, however busy the stream is.
  if (opsTimer) return;
  opsTimer = setTimeout(() => { opsTimer = 0; refreshOps(); }, Math.max(0, opsAt + 2000 - Date.now()));
}

function setFigure(id, text) { $(id).textContent = text; }

async function refreshOps() {
  opsAt = Date.now();
  const [queues, stats, failed] = await Promise.allSettled([
    api('/api/admin/queues'),
    api('/api/admin/stats'),
    api('/api/admin/outbox?status=failed'),
  ]);
  renderQueues(queues.status === 'fulfilled' ? queues.value : null);
  renderStats(stats.status === 'fulfilled' ? stats.value : null);
  renderFailed(failed.status === 'fulfilled' ? failed.value?.data : null);
  $('#ops-time').textContent = `Updated ${new Date().toLocaleTimeString()}`;
}

function renderQueues(body) {
  const tbody = $('#queues tbody');
  const list = body?.queues ?? [];
  tbody.replaceChildren(
    ...(list.length ? list : [null]).map((q) => {
      if (!q) return el('tr', {}, el('td', { colSpan: 6, textContent: '—' }));
      const button = el('button', { type: 'button', className: 'secondary', textContent: 'Redrive' });
      button.disabled = !q.dlq?.visible;
      button.setAttribute('aria-label', `Redrive ${q.dlq?.name ?? 'DLQ'} to ${q.name}`);
      button.addEventListener('click', () => redrive(q, button));
      return el('tr', {},
        el('th', { scope: 'row', textContent: q.name }),
        el('td', { className: 'num', textContent: num(q.visible) }),
        el('td', { className: 'num', textContent: num(q.inFlight) }),
        el('td', { className: 'num', textContent: num(q.delayed) }),
        el('td', { className: q.dlq?.visible ? 'num warn' : 'num', textContent: num(q.dlq?.visible) }),
        el('td', {}, button));
    }),
  );
  const ob = body?.outbox;
  setFigure('#o-pending', num(ob?.pending));
  setFigure('#o-failed', num(ob?.failed));
  setFigure('#o-age', ob?.oldestPendingAgeMs == null ? '—' : duration(ob.oldestPendingAgeMs));
  setFigure('#o-lag', duration(body?.relayLagMs));
  $('#requeue').disabled = !ob?.failed;
}

function renderStats(body) {
  const p = body?.processing;
  const c = body?.cache;
  setFigure('#s-count', num(p?.count));
  setFigure('#s-avg', duration(p?.avgMs));
  setFigure('#s-p50', duration(p?.p50Ms));
  setFigure('#s-p99', duration(p?.p99Ms));
  setFigure('#s-ratio', typeof c?.hitRatio === 'number' ? `${(c.hitRatio * 100).toFixed(1)} %` : '—');
  setFigure('#s-hits', c ? `${num(c.hits)} / ${num(c.misses)}` : '—');
}

function renderFailed(list) {
  const details = $('#failed-rows');
  details.hidden = !list?.length;
  details.querySelector('ul').replaceChildren(
    ...(list ?? []).slice(0, 20).map((r) =>
      el('li', { textContent: `${r.type} ${shortId(r.aggregateId ?? r.id)} · ${r.attempts} attempts · ${r.lastError ?? ''}` })),
  );
}

async function redrive(q, button) {
  button.disabled = true;
  try {
    const { moved } = await api(`/api/admin/queues/${encodeURIComponent(q.name)}/redrive`, { method: 'POST', body: {} });
    $('#ops-msg').textContent = `Moved ${moved} message(s) from ${q.dlq?.name ?? 'the DLQ'} back to ${q.name}.`;
  } catch (err) {
    $('#ops-msg').textContent = `Redrive failed: ${err.message}`;
  }
  refreshOps();
}

async function requeue() {
  $('#requeue').disabled = true;
  try {
    const { requeued } = await api('/api/admin/outbox/requeue', { method: 'POST', body: {} });
    $('#ops-msg').textContent = `Re-queued ${requeued} outbox row(s).`;
  } catch (err) {
    $('#ops-msg').textContent = `Re-queue failed: ${err.message}`;
  }
  refreshOps();
}

// ---- screens ---------------------------------------------------------------

function showApp() {
  $('#login').hidden = true;
  $('#app').hidden = false;
  $('#logout').hidden = false;
  const who = $('#who');
  who.hidden = false;
  who.textContent = session.user?.email ?? '';
  loadOrders();
  openStream(false);
  refreshOps();
}

function signOut(message = '') {
  stream?.close();
  stream = null;
  clearTimeout(refreshTimer);
  session = null;
  sessionStorage.removeItem(KEY);
  rows.clear();
  $('#orders tbody').replaceChildren();
  $('#app').hidden = true;
  $('#logout').hidden = true;
  $('#who').hidden = true;
  $('#login').hidden = false;
  $('#login-error').textContent = message;
  setConn('off', 'Offline');
  $('#email').focus();
}

async function login(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  const button = form.querySelector('button');
  button.disabled = true;
  $('#login-error').textContent = '';
  try {
    const res = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: form.email.value, password: form.password.value }),
    });
    const body = await res.json().catch(() => null);
    if (!res.ok) throw new Error(body?.detail || body?.title || `Log-in failed (${res.status})`);
    if (body.user?.role !== 'admin') throw new Error('This account is not an administrator.');
    saveSession(body);
    form.reset();
    showApp();
    $('#orders-h').focus();
  } catch (err) {
    $('#login-error').textContent = err.message;
  } finally {
    button.disabled = false;
  }
}

async function logout() {
  const token = session?.refreshToken;
  const access = session?.accessToken;
  signOut();
  await fetch('/api/auth/logout', {
    method: 'POST',
    headers: { authorization: `Bearer ${access}`, 'content-type': 'application/json' },
    body: JSON.stringify({ refreshToken: token }),
  }).catch(() => {});
}

$('#login-form').addEventListener('submit', login);
$('#logout').addEventListener('click', logout);
$('#filters').addEventListener('submit', (ev) => { ev.preventDefault(); readFilters(ev.currentTarget); loadOrders(); });
$('#filters').addEventListener('reset', () => { filters = {}; setTimeout(loadOrders); });
$('#more').addEventListener('click', () => loadOrders(true));
$('#refresh').addEventListener('click', refreshOps);
$('#requeue').addEventListener('click', requeue);
$('#orders-h').tabIndex = -1;

try {
  session = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
} catch {
  session = null;
}
if (session?.refreshToken) {
  // A reloaded tab keeps its session; a token close to expiry is renewed first.
  (session.expiresAt - Date.now() < 60_000 ? refreshTokens() : Promise.resolve(saveSession({ ...session, expiresIn: (session.expiresAt - Date.now()) / 1000 })))
    .then(showApp, () => {});
} else {
  signOut();
}
