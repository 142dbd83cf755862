/**
 * `pnpm bench:tracing-off`: CPU the tracing helpers add to each order on the intake path while no
 * OTLP endpoint is set (no SDK registered): the `order commit` span, its traceparent and attributes,
 * against the same async call without them. Runs in this process; no stack needed.
 */
import { currentTraceparent, inSpan } from '@oms/platform';

const CALLS = 2_000_000;

async function cpuNsPerCall(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < CALLS / 10; i++) await fn(); // warm-up (JIT), not counted
  const cpu = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) await fn();
  const used = process.cpuUsage(cpu);
  return ((used.user + used.system) * 1_000) / CALLS;
}

async function main(): Promise<void> {
  const work = async () => 'created';
  const plain = await cpuNsPerCall(work);
  const traced = await cpuNsPerCall(() =>
    inSpan('order commit', { attributes: { 'oms.user_id': 'u1' } }, async (span) => {
      currentTraceparent();
      span.setAttribute('oms.result', await work());
    }),
  );
  console.log(
    `plain async call ${plain.toFixed(0)} ns, with the tracing helpers ${traced.toFixed(0)} ns: +${(traced - plain).toFixed(0)} ns CPU per order`,
  );
}

void main();
