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
const SERIES = ['accepted', 'processed', 'emailed'];
const CHART_SECONDS = 60;
const RUN_ACTIVE = new Set(['GENERATING', 'DRAINING_VIP', 'DRAINING_NORMAL']);
let tpCounts = { accepted: 0, processed: 0, emailed: 0 }; // this second so far
let tpSamples = []; // one { accepted, processed, emailed } per second, oldest first
let tpTimer = 0;
let run = null;
let runTimer = 0;
let bulkSeen = null; // { id, generated }: a bulk run's generated orders count as accepted

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
  const onOrder = (o) => {
    if (rows.has(o.id) || matches(o)) upsert(o, true);
    scheduleOps();
  };
  es.addEventListener('order.created', (ev) => {
    tpCounts.accepted++;
    onOrder(JSON.parse(ev.data));
  });
  es.addEventListener('order.status-changed', (ev) => {
    const o = JSON.parse(ev.data);
    // PROCESSED is reported only after the confirmation email was sent; FAILED ends without one.
    if (o.status === 'PROCESSED' || o.status === 'FAILED') tpCounts.processed++;
    if (o.status === 'PROCESSED') tpCounts.emailed++;
    onOrder(o);
  });
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

// ---- throughput chart ------------------------------------------------------

function svg(tag, attrs = {}, text = '') {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text) node.textContent = text;
  return node;
}

/** Rounds up to 1, 2 or 5 times a power of ten, so the axis reads well. */
function niceMax(n) {
  const p = 10 ** Math.floor(Math.log10(Math.max(1, n)));
  return [1, 2, 5, 10].map((m) => m * p).find((v) => v >= n);
}

function sampleThroughput() {
  tpSamples.push(tpCounts);
  if (tpSamples.length > CHART_SECONDS) tpSamples.shift();
  tpCounts = { accepted: 0, processed: 0, emailed: 0 };
  drawThroughput();
}

function drawThroughput() {
  const chart = $('#tp-chart');
  const [w, h, left, top, bottom] = [600, 180, 64, 12, 26];
  const peak = Math.max(0, ...tpSamples.flatMap((s) => SERIES.map((k) => s[k])));
  const max = niceMax(peak);
  const x = (i) => left + ((w - left - 8) * (i + CHART_SECONDS - tpSamples.length)) / (CHART_SECONDS - 1);
  const y = (v) => top + (h - top - bottom) * (1 - v / max);
  const nodes = [];
  for (const v of [0, max / 2, max]) {
    nodes.push(svg('line', { class: 'grid', x1: left, x2: w - 8, y1: y(v), y2: y(v) }));
    nodes.push(svg('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end' }, num(v)));
  }
  nodes.push(svg('text', { x: left, y: h - 4 }, `${CHART_SECONDS} s ago`), svg('text', { x: w - 8, y: h - 4, 'text-anchor': 'end' }, 'now'));
  for (const key of SERIES) {
    const points = tpSamples.map((s, i) => `${x(i).toFixed(1)},${y(s[key]).toFixed(1)}`).join(' ');
    nodes.push(svg('polyline', { class: key, points }));
  }
  chart.replaceChildren(...nodes);
  chart.dataset.peak = String(peak);
  const last = tpSamples[tpSamples.length - 1] ?? tpCounts;
  for (const key of SERIES) setFigure(`#tp-${key}`, `${num(last[key])}/s`);
}

// ---- load runs -------------------------------------------------------------

const PHASE_TEXT = {
  IDLE: 'Idle', GENERATING: 'Generating', DRAINING_VIP: 'Draining VIP', DRAINING_NORMAL: 'Draining normal',
  DONE: 'Done', ABORTED: 'Cancelled', ERROR: 'Failed',
};
const rate = (n) => (typeof n === 'number' ? `${Math.round(n).toLocaleString()}/s` : '—');

async function refreshRun() {
  clearTimeout(runTimer);
  try {
    // An active run is followed on /current; otherwise the newest run of the history is the latest.
    if (run && RUN_ACTIVE.has(run.phase)) run = await api('/api/admin/load-runs/current');
    if (!run || !RUN_ACTIVE.has(run.phase)) {
      const { data } = await api('/api/admin/load-runs/history?limit=5');
      renderRunHistory(data);
      if (data[0]?.id !== run?.id) run = data[0] ?? null;
      // Only a stored snapshot: its live figures are on /current.
      if (run && RUN_ACTIVE.has(run.phase)) run = await api('/api/admin/load-runs/current');
    }
  } catch (err) {
    $('#run-msg').textContent = `Load runs unavailable: ${err.message}`;
  }
  if (run?.mode === 'bulk') {
    // Bulk orders are written straight to the store, not announced one by one on the stream.
    const generated = run.progress.generated;
    if (bulkSeen?.id === run.id) tpCounts.accepted += Math.max(0, generated - bulkSeen.generated);
    bulkSeen = { id: run.id, generated };
  }
  renderRun(run);
  if (run && RUN_ACTIVE.has(run.phase)) runTimer = setTimeout(refreshRun, 1000);
}

function renderRun(r) {
  const active = !!r && RUN_ACTIVE.has(r.phase);
  $('#run-start').disabled = active;
  $('#run-cancel').disabled = !active;
  $('#run-status').hidden = !r;
  if (!r) return;
  $('#run-phase').textContent = PHASE_TEXT[r.phase] ?? r.phase;
  const health = $('#run-health');
  health.textContent = r.health;
  health.className = `badge h-${r.health}`;
  $('#run-id').textContent = `${r.mode} · ${shortId(r.id)}`;
  const { target, generated, processed, failed } = r.progress;
  const done = r.until === 'generated' ? generated : processed + failed;
  const progress = $('#run-progress');
  progress.value = target ? done / target : 0;
  $('#run-progress-text').textContent =
    `${num(done)} of ${num(target)} ${r.until === 'generated' ? 'generated' : 'processed'} (${Math.floor(progress.value * 100)} %) · ` +
    `generated ${num(generated)}, processed ${num(processed)}, failed ${num(failed)}`;
  setFigure('#run-rate', rate(r.throughput.recentOrdersPerSec ?? r.throughput.ordersPerSec));
  setFigure('#run-eta', active ? duration(r.etaMs) : '—');
  setFigure('#run-gen', r.generation.durationMs == null ? '—' : `${duration(r.generation.durationMs)} @ ${rate(r.generation.ordersPerSec)}`);
  setFigure('#run-latency', `${duration(r.latency.p50Ms)} / ${duration(r.latency.p99Ms)}`);
  $('#run-windows tbody').replaceChildren(
    ...['VIP', 'NORMAL'].map((p) => {
      const win = r.processing[p];
      return el('tr', {},
        el('th', { scope: 'row', textContent: p }),
        el('td', { className: 'num', textContent: num(win.generated) }),
        el('td', { className: 'num', textContent: num(win.processed) }),
        el('td', { className: win.failed ? 'num warn' : 'num', textContent: num(win.failed) }),
        el('td', { className: 'num', textContent: duration(win.durationMs) }));
    }),
  );
  $('#run-vip').textContent = r.vipDrainedFirst == null ? '' : r.vipDrainedFirst ? 'VIP orders all began before any normal one.' : 'A normal order began before the last VIP order.';
  if (r.error) $('#run-msg').textContent = r.error;
}

function renderRunHistory(list) {
  $('#run-history ol').replaceChildren(
    ...list.map((r) => el('li', {
      textContent: `${when(r.startedAt)} · ${r.mode} ${num(r.progress.target)} · ${PHASE_TEXT[r.phase] ?? r.phase} · ` +
        `${num(r.progress.processed)} processed · ${rate(r.throughput.ordersPerSec)}`,
    })),
  );
}

async function startRun(ev) {
  ev.preventDefault();
  const f = new FormData(ev.currentTarget);
  const mix = {};
  for (const tier of ['BRONZE', 'SILVER', 'GOLD', 'DIAMOND']) {
    const weight = Number(f.get(tier));
    if (weight > 0) mix[tier] = weight;
  }
  $('#run-start').disabled = true;
  try {
    run = await api('/api/admin/load-runs', { method: 'POST', body: { mode: f.get('mode'), orders: Number(f.get('orders')), until: f.get('until'), mix } });
    if (run.mode === 'bulk') bulkSeen = { id: run.id, generated: run.progress.generated };
    $('#run-msg').textContent = `Started a ${run.mode} run of ${num(run.progress.target)} orders.`;
  } catch (err) {
    $('#run-msg').textContent = `Could not start: ${err.message}`;
  }
  refreshRun();
}

async function cancelRun() {
  $('#run-cancel').disabled = true;
  try {
    run = await api('/api/admin/load-runs/current/cancel', { method: 'POST' });
    $('#run-msg').textContent = 'Run cancelled; its orders stay until reset.';
  } catch (err) {
    $('#run-msg').textContent = `Could not cancel: ${err.message}`;
  }
  refreshRun();
}

async function resetRuns() {
  $('#run-reset').disabled = true;
  try {
    const { ordersDeleted } = await api('/api/admin/load-runs/reset', { method: 'POST' });
    $('#run-msg').textContent = `Reset: deleted ${num(ordersDeleted)} generated order(s) and emptied the order queues.`;
  } catch (err) {
    $('#run-msg').textContent = `Reset failed: ${err.message}`;
  } finally {
    $('#run-reset').disabled = false;
  }
  refreshRun();
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
  refreshRun();
  clearInterval(tpTimer);
  tpTimer = setInterval(sampleThroughput, 1000);
  drawThroughput();
}

function signOut(message = '') {
  stream?.close();
  stream = null;
  clearTimeout(refreshTimer);
  clearTimeout(runTimer);
  clearInterval(tpTimer);
  tpSamples = [];
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
$('#run-form').addEventListener('submit', startRun);
$('#run-cancel').addEventListener('click', cancelRun);
$('#run-reset').addEventListener('click', resetRuns);
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
