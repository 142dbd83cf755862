// How the load-run panel shows a run and the recent history.
import { $, el, setText } from './dom.js';
import { duration, num, rate, shortId, when } from './format.js';
/** @import { LoadRun } from './types.js' */

/** @type {Record<LoadRun['phase'], string>} */
const PHASE_TEXT = {
  IDLE: 'Idle',
  GENERATING: 'Generating',
  DRAINING_VIP: 'Draining VIP',
  DRAINING_NORMAL: 'Draining normal',
  DONE: 'Done',
  ABORTED: 'Cancelled',
  ERROR: 'Failed',
};
const ACTIVE = new Set(['GENERATING', 'DRAINING_VIP', 'DRAINING_NORMAL']);

/** @param {LoadRun | null} r */
export const isActive = (r) => !!r && ACTIVE.has(r.phase);

/** @param {LoadRun | null} r the latest run, null when there has been none */
export function renderRun(r) {
  const active = isActive(r);
  $('#run-start', HTMLButtonElement).disabled = active;
  $('#run-cancel', HTMLButtonElement).disabled = !active;
  $('#run-status').hidden = !r;
  if (!r) return;
  setText('#run-phase', PHASE_TEXT[r.phase]);
  const health = $('#run-health');
  health.textContent = r.health;
  health.className = `badge h-${r.health}`;
  setText('#run-id', `${r.mode} · ${shortId(r.id)}`);
  renderProgress(r);
  setText('#run-rate', rate(r.throughput.recentOrdersPerSec ?? r.throughput.ordersPerSec));
  setText('#run-eta', active ? duration(r.etaMs) : '—');
  setText('#run-gen', r.generation.durationMs == null ? '—' : `${duration(r.generation.durationMs)} @ ${rate(r.generation.ordersPerSec)}`);
  setText('#run-latency', `${duration(r.latency.p50Ms)} / ${duration(r.latency.p99Ms)}`);
  renderWindows(r);
  setText(
    '#run-vip',
    r.vipDrainedFirst == null
      ? ''
      : r.vipDrainedFirst
        ? 'VIP orders all began before any normal one.'
        : 'A normal order began before the last VIP order.',
  );
  if (r.error) setText('#run-msg', r.error);
}

/** @param {LoadRun} r */
function renderProgress(r) {
  const { target, generated, processed, failed } = r.progress;
  const done = r.until === 'generated' ? generated : processed + failed;
  const progress = $('#run-progress', HTMLProgressElement);
  progress.value = target ? done / target : 0;
  setText(
    '#run-progress-text',
    `${num(done)} of ${num(target)} ${r.until === 'generated' ? 'generated' : 'processed'} (${Math.floor(progress.value * 100)} %) · ` +
      `generated ${num(generated)}, processed ${num(processed)}, failed ${num(failed)}`,
  );
}

/** The VIP and normal processing windows. @param {LoadRun} r */
function renderWindows(r) {
  $('#run-windows tbody').replaceChildren(
    .../** @type {const} */ (['VIP', 'NORMAL']).map((p) => {
      const win = r.processing[p];
      return el(
        'tr',
        {},
        el('th', { scope: 'row', textContent: p }),
        el('td', { className: 'num', textContent: num(win.generated) }),
        el('td', { className: 'num', textContent: num(win.processed) }),
        el('td', { className: win.failed ? 'num warn' : 'num', textContent: num(win.failed) }),
        el('td', { className: 'num', textContent: duration(win.durationMs) }),
      );
    }),
  );
}

/** @param {LoadRun[]} list newest first */
export function renderRunHistory(list) {
  $('#run-history ol').replaceChildren(
    ...list.map((r) =>
      el('li', {
        textContent:
          `${when(r.startedAt)} · ${r.mode} ${num(r.progress.target)} · ${PHASE_TEXT[r.phase]} · ` +
          `${num(r.progress.processed)} processed · ${rate(r.throughput.ordersPerSec)}`,
      }),
    ),
  );
}
