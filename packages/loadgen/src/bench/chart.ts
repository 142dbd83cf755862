export interface Series {
  name: string;
  color: string;
  /** [seconds since start, value] */
  points: [number, number][];
}

const W = 900;
const H = 360;
const PAD = { left: 64, right: 16, top: 36, bottom: 40 };
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** Largest "nice" step (1, 2, 5 x 10^k) giving at most ~6 ticks. */
function niceStep(max: number): number {
  const raw = max / 6;
  const pow = 10 ** Math.floor(Math.log10(raw || 1));
  return [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? pow * 10;
}

/** A small hand-written SVG line chart: no chart library for a few polylines. */
export function lineChartSvg(title: string, yLabel: string, series: Series[], marks: { at: number; label: string }[] = []): string {
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const xMax = Math.max(1, ...xs);
  const yStep = niceStep(Math.max(1, ...ys));
  const yMax = Math.ceil(Math.max(1, ...ys) / yStep) * yStep;
  const x = (v: number) => PAD.left + (v / xMax) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / yMax) * (H - PAD.top - PAD.bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="15">${esc(title)}</text>`,
  ];
  for (let v = 0; v <= yMax; v += yStep) {
    out.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
    out.push(`<text x="${PAD.left - 6}" y="${y(v) + 4}" text-anchor="end">${v.toLocaleString('en')}</text>`);
  }
  const xStep = niceStep(xMax);
  for (let v = 0; v <= xMax; v += xStep) out.push(`<text x="${x(v)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${v}s</text>`);
  out.push(`<text x="14" y="${H / 2}" transform="rotate(-90 14 ${H / 2})" text-anchor="middle">${esc(yLabel)}</text>`);
  for (const m of marks) {
    out.push(`<line x1="${x(m.at)}" x2="${x(m.at)}" y1="${PAD.top}" y2="${H - PAD.bottom}" stroke="#999" stroke-dasharray="4 3"/>`);
    out.push(`<text x="${x(m.at) + 3}" y="${PAD.top + 10}" fill="#555">${esc(m.label)}</text>`);
  }
  series.forEach((s, i) => {
    const pts = s.points.map(([a, b]) => `${x(a).toFixed(1)},${y(b).toFixed(1)}`).join(' ');
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts}"/>`);
    out.push(`<rect x="${PAD.left + 10 + i * 170}" y="${PAD.top - 4}" width="12" height="4" fill="${s.color}"/>`);
    out.push(`<text x="${PAD.left + 26 + i * 170}" y="${PAD.top}">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

/** Cumulative counts sampled over time -> a per-second rate series. */
export function ratesFromCounts(samples: { t: number; count: number }[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]!;
    const b = samples[i]!;
    if (b.t > a.t) out.push([Number(b.t.toFixed(1)), Math.max(0, (b.count - a.count) / (b.t - a.t))]);
  }
  return out;
}
