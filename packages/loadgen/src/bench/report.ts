/** The JSON `pnpm bench` writes, and the goals of issue 6 it is read against. */
export interface BenchReport {
  startedAt: string;
  orders: number;
  mail: string;
  intake: { orders: number; connections: number; ordersPerSec: number; p50Ms: number; p99Ms: number; non2xx: number };
  e2e: {
    orders: number;
    ordersPerSec: number;
    /** At the fixed offered load below, placed -> PROCESSED as the order service sees it. */
    offeredPerSec: number;
    latencyOrders: number;
    p50LatencyMs: number | null;
    p99LatencyMs: number | null;
    emailsSent: number;
    fractionOfEmailLimit: number;
  };
  emailStage: { mails: number; mailsPerSec: number; poolSize: number };
  bulk: { orders: number; seconds: number; ordersPerSec: number };
  baseline: { orders: number; naiveOrdersPerSec: number; outboxOrdersPerSec: number; outboxOverhead: number };
  /** Outbox intake of the baseline phase with SQLite synchronous=FULL (the default) and NORMAL. */
  durability: { orders: number; fullOrdersPerSec: number; normalOrdersPerSec: number; fullVsNormal: number };
  priority: {
    vipDrainedFirst: boolean | null;
    vipWindowMs: number | null;
    normalWindowMs: number | null;
    vipOrders: number;
    normalOrders: number;
  };
  rssMaxMb: Record<string, number>;
  /** CPU time per order (per mail for the email stage) of each process, µs, during each phase. */
  cpuUsPerOrder: { emailStage: Record<string, number>; intake: Record<string, number>; e2e: Record<string, number> };
  machine: { cpus: number; model: string; node: string; platform: string; loadAvg1mAtStart: number; totalMemGb: number };
  chart: string;
}

interface Row {
  metric: string;
  value: string;
  goal: string;
  met: boolean | null;
}

const n = (v: number | null, digits = 0) => (v === null ? '--' : v.toLocaleString('en', { maximumFractionDigits: digits }));

export function goalRows(r: BenchReport): Row[] {
  const rssMax = Math.max(r.rssMaxMb.order ?? 0, r.rssMaxMb.processing ?? 0);
  return [
    { metric: 'intake orders/s (50 conns)', value: n(r.intake.ordersPerSec), goal: '>= 4,000', met: r.intake.ordersPerSec >= 4000 },
    { metric: 'intake p50 / p99 ms', value: `${n(r.intake.p50Ms)} / ${n(r.intake.p99Ms)}`, goal: 'p99 <= 50', met: r.intake.p99Ms <= 50 },
    { metric: 'e2e orders/s (PROCESSED + email)', value: n(r.e2e.ordersPerSec), goal: '>= 1,500', met: r.e2e.ordersPerSec >= 1500 },
    { metric: 'email stage alone mails/s', value: n(r.emailStage.mailsPerSec), goal: '(the limit)', met: null },
    { metric: 'e2e / email stage', value: n(r.e2e.fractionOfEmailLimit, 2), goal: '>= 0.8', met: r.e2e.fractionOfEmailLimit >= 0.8 },
    {
      metric: `placed->PROCESSED p50 / p99 ms @${r.e2e.offeredPerSec}/s`,
      value: `${n(r.e2e.p50LatencyMs)} / ${n(r.e2e.p99LatencyMs)}`,
      goal: 'p99 <= 500',
      met: r.e2e.p99LatencyMs !== null && r.e2e.p99LatencyMs <= 500,
    },
    {
      metric: `bulk ${n(r.bulk.orders)} orders, s`,
      value: n(r.bulk.seconds, 1),
      goal: '1M <= 15 s',
      met: r.bulk.orders >= 1_000_000 ? r.bulk.seconds <= 15 : null,
    },
    { metric: 'bulk orders/s', value: n(r.bulk.ordersPerSec), goal: '>= 66,667', met: r.bulk.ordersPerSec >= 66_667 },
    {
      metric: 'outbox overhead (naive / outbox)',
      value: `${n(r.baseline.outboxOverhead, 2)}x (${n(r.baseline.naiveOrdersPerSec)} vs ${n(r.baseline.outboxOrdersPerSec)})`,
      goal: '<= 1.15x',
      met: r.baseline.outboxOverhead <= 1.15,
    },
    {
      metric: 'intake synchronous FULL / NORMAL',
      value: `${n(r.durability.fullVsNormal, 2)} (${n(r.durability.fullOrdersPerSec)} vs ${n(r.durability.normalOrdersPerSec)})`,
      goal: '>= 0.90',
      met: r.durability.fullVsNormal >= 0.9,
    },
    { metric: 'CPU µs/mail, email stage', value: cpuLine(r.cpuUsPerOrder.emailStage), goal: '', met: null },
    { metric: 'CPU µs/order, intake', value: cpuLine(r.cpuUsPerOrder.intake), goal: '', met: null },
    { metric: 'CPU µs/order, e2e drain', value: cpuLine(r.cpuUsPerOrder.e2e), goal: '', met: null },
    {
      metric: 'max RSS per service MB',
      value: Object.entries(r.rssMaxMb)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
      goal: '<= 512 (services)',
      met: rssMax <= 512,
    },
    {
      metric: 'VIP drained before normal',
      value: `${r.priority.vipDrainedFirst} (VIP ${n(r.priority.vipWindowMs)} ms, normal ${n(r.priority.normalWindowMs)} ms)`,
      goal: 'true',
      met: r.priority.vipDrainedFirst === true,
    },
  ];
}

export function goalTable(r: BenchReport): string {
  const rows = goalRows(r);
  const w = [
    Math.max(...rows.map((x) => x.metric.length)),
    Math.max(...rows.map((x) => x.value.length)),
    Math.max(...rows.map((x) => x.goal.length)),
  ];
  const line = (a: string, b: string, c: string, d: string) => `${a.padEnd(w[0]!)}  ${b.padEnd(w[1]!)}  ${c.padEnd(w[2]!)}  ${d}`;
  return [
    line('metric', 'value', 'goal', 'met'),
    line('-'.repeat(w[0]!), '-'.repeat(w[1]!), '-'.repeat(w[2]!), '---'),
    ...rows.map((x) => line(x.metric, x.value, x.goal, x.met === null ? '' : x.met ? 'yes' : 'NO')),
  ].join('\n');
}

const cpuLine = (cpu: Record<string, number>) => {
  const used = Object.entries(cpu).filter(([, us]) => us > 0);
  return `${used.map(([name, us]) => `${name} ${us}`).join(' + ')} = ${used.reduce((sum, [, us]) => sum + us, 0)}`;
};
