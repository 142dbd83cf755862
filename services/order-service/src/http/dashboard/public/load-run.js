// The load-run panel: start, follow, cancel and reset runs of the load generator.
import { api } from './api.js';
import { count } from './chart.js';
import { $, setText } from './dom.js';
import { errorText, num } from './format.js';
import { isActive, renderRun, renderRunHistory } from './load-run-view.js';
/** @import { LoadRun, LoadRunRequest } from './types.js' */

/** @type {LoadRun | null} */
let run = null;
let timer = 0;
/** @type {{ id: string, generated: number } | null} a bulk run's generated count at the last look */
let bulkSeen = null;

/** Fetches the latest run (and the history), and follows an active one once a second. */
export async function refreshRun() {
  clearTimeout(timer);
  try {
    await fetchLatest();
  } catch (err) {
    setText('#run-msg', `Load runs unavailable: ${errorText(err)}`);
  }
  if (run?.mode === 'bulk') {
    // Bulk orders are written straight to the store, not announced one by one on the stream.
    const { generated } = run.progress;
    if (bulkSeen?.id === run.id) count('accepted', Math.max(0, generated - bulkSeen.generated));
    bulkSeen = { id: run.id, generated };
  }
  renderRun(run);
  if (isActive(run)) timer = setTimeout(refreshRun, 1000);
}

/** Updates `run` step by step, so a failing second request still leaves the first's answer. */
async function fetchLatest() {
  // An active run is followed on /current; otherwise the newest run of the history is the latest.
  if (isActive(run)) run = await api.currentRun();
  if (isActive(run)) return;
  const { data } = await api.runHistory();
  renderRunHistory(data);
  if (data[0]?.id !== run?.id) run = data[0] ?? null;
  // The history holds a stored snapshot only: an active run's live figures are on /current.
  if (isActive(run)) run = await api.currentRun();
}

/** @param {HTMLFormElement} form */
async function startRun(form) {
  const f = new FormData(form);
  /** @type {Record<string, number>} */
  const mix = {};
  for (const tier of ['BRONZE', 'SILVER', 'GOLD', 'DIAMOND']) {
    const weight = Number(f.get(tier));
    if (weight > 0) mix[tier] = weight;
  }
  // The selects offer only the values the API accepts.
  const request = /** @type {LoadRunRequest} */ ({ mode: f.get('mode'), orders: Number(f.get('orders')), until: f.get('until'), mix });
  $('#run-start', HTMLButtonElement).disabled = true;
  try {
    run = await api.startRun(request);
    if (run.mode === 'bulk') bulkSeen = { id: run.id, generated: run.progress.generated };
    setText('#run-msg', `Started a ${run.mode} run of ${num(run.progress.target)} orders.`);
  } catch (err) {
    setText('#run-msg', `Could not start: ${errorText(err)}`);
  }
  refreshRun();
}

async function cancelRun() {
  $('#run-cancel', HTMLButtonElement).disabled = true;
  try {
    run = await api.cancelRun();
    setText('#run-msg', 'Run cancelled; its orders stay until reset.');
  } catch (err) {
    setText('#run-msg', `Could not cancel: ${errorText(err)}`);
  }
  refreshRun();
}

async function resetRuns() {
  const button = $('#run-reset', HTMLButtonElement);
  button.disabled = true;
  try {
    const { ordersDeleted } = await api.resetRuns();
    setText('#run-msg', `Reset: deleted ${num(ordersDeleted)} generated order(s) and emptied the order queues.`);
  } catch (err) {
    setText('#run-msg', `Reset failed: ${errorText(err)}`);
  } finally {
    button.disabled = false;
  }
  refreshRun();
}

export function stopRunFollow() {
  clearTimeout(timer);
}

export function bindLoadRun() {
  const form = $('#run-form', HTMLFormElement);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    startRun(form);
  });
  $('#run-cancel').addEventListener('click', cancelRun);
  $('#run-reset').addEventListener('click', resetRuns);
}
