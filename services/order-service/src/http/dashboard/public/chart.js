// The throughput chart: orders accepted / processed / emailed per second over the last minute,
// counted from the live stream (and a bulk run's progress), sampled once a second.
import { $, setText, svg } from './dom.js';
import { num } from './format.js';

const SERIES = /** @type {const} */ (['accepted', 'processed', 'emailed']);
const SECONDS = 60;
const [W, H, LEFT, TOP, BOTTOM, RIGHT] = [600, 180, 64, 12, 26, 8]; // the SVG's viewBox and margins

/** @typedef {Record<typeof SERIES[number], number>} Counts */

const zero = () => ({ accepted: 0, processed: 0, emailed: 0 });
/** @type {Counts} this second so far */
let counts = zero();
/** @type {Counts[]} one per second, oldest first */
let samples = [];
let timer = 0;

/**
 * @param {keyof Counts} series
 * @param {number} [n]
 */
export function count(series, n = 1) {
  counts[series] += n;
}

export function startChart() {
  clearInterval(timer);
  timer = setInterval(sample, 1000);
  draw();
}

export function stopChart() {
  clearInterval(timer);
  samples = [];
}

function sample() {
  samples.push(counts);
  if (samples.length > SECONDS) samples.shift();
  counts = zero();
  draw();
}

/** Rounds up to 1, 2 or 5 times a power of ten, so the axis reads well. @param {number} n */
function niceMax(n) {
  const p = 10 ** Math.floor(Math.log10(Math.max(1, n)));
  return /** @type {number} */ ([1, 2, 5, 10].map((m) => m * p).find((v) => v >= n));
}

function draw() {
  const chart = $('#tp-chart', SVGSVGElement);
  const peak = Math.max(0, ...samples.flatMap((s) => SERIES.map((k) => s[k])));
  const max = niceMax(peak);
  /** @param {number} i */
  const x = (i) => LEFT + ((W - LEFT - RIGHT) * (i + SECONDS - samples.length)) / (SECONDS - 1);
  /** @param {number} v */
  const y = (v) => TOP + (H - TOP - BOTTOM) * (1 - v / max);
  const nodes = [];
  for (const v of [0, max / 2, max]) {
    nodes.push(svg('line', { class: 'grid', x1: LEFT, x2: W - RIGHT, y1: y(v), y2: y(v) }));
    nodes.push(svg('text', { x: LEFT - 6, y: y(v) + 4, 'text-anchor': 'end' }, num(v)));
  }
  nodes.push(svg('text', { x: LEFT, y: H - 4 }, `${SECONDS} s ago`), svg('text', { x: W - RIGHT, y: H - 4, 'text-anchor': 'end' }, 'now'));
  for (const key of SERIES) {
    const points = samples.map((s, i) => `${x(i).toFixed(1)},${y(s[key]).toFixed(1)}`).join(' ');
    nodes.push(svg('polyline', { class: key, points }));
  }
  chart.replaceChildren(...nodes);
  chart.dataset.peak = String(peak);
  const last = samples[samples.length - 1] ?? counts;
  for (const key of SERIES) setText(`#tp-${key}`, `${num(last[key])}/s`);
}
