import { type OrderPlacedEvent, priorityOf, tierAt, type TierMix } from '@oms/contracts';
import { makeEvent } from '@oms/platform';
import { ConfigSchema, ConfirmationEmail, SmtpMailer, smtpPoolOptions, WorkerSmtpPool } from '@oms/processing-service/bench';

/**
 * The email stage alone, with the processing service's own code (render + MIME here, nodemailer's
 * pool on its worker thread, same pool size) into the same discarding sink: the ceiling end to
 * end processing is read against.
 * Runs in the bench process while the stack is idle, so it has the cores to itself.
 */
export async function measureEmailStage(opts: {
  smtpPort: number;
  mails: number;
  warmUp: number;
  poolSize: number;
  concurrency: number;
  mix: TierMix;
}) {
  const cfg = ConfigSchema.parse({
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(opts.smtpPort),
    SMTP_POOL_SIZE: String(opts.poolSize),
    SMTP_UNCONFIRMED_MAX: process.env.SMTP_UNCONFIRMED_MAX, // as the stack's processing service gets it
  });
  const pool = new WorkerSmtpPool(smtpPoolOptions(cfg), { unconfirmedMax: cfg.SMTP_UNCONFIRMED_MAX });
  const mailer = new SmtpMailer(pool, cfg.MAIL_FROM);
  const email = new ConfirmationEmail({ name: cfg.SHOP_NAME, url: cfg.SHOP_URL });
  const order = (n: number) => {
    const tier = tierAt(opts.mix, n);
    return makeEvent<OrderPlacedEvent>(
      'order.placed',
      {
        orderId: `bench-${n}`,
        userId: 'bench',
        customer: { name: `Shopper ${n}`, email: `shopper-${n}@loadgen.invalid` },
        items: [{ productId: 'p', sku: 'TEA-250', name: 'Assam Tea 250g', unitPriceCents: 45_000, quantity: 1, lineTotalCents: 45_000 }],
        totals: { subtotalCents: 45_000, taxCents: 8_100, totalCents: 53_100 },
        currency: 'INR',
        tier,
        priority: priorityOf(tier),
        placedAt: new Date().toISOString(),
      },
      'bench',
    ).data;
  };
  await pool.verify();
  let next = 0;
  const sendUpTo = (count: number) =>
    Promise.all(
      Array.from({ length: opts.concurrency }, async () => {
        while (next < count) await mailer.send(email.render(order(next++)));
      }),
    );
  // Warm, like the services are when end to end is measured: the first mails run unoptimised code.
  await sendUpTo(opts.warmUp);
  const started = performance.now();
  await sendUpTo(opts.warmUp + opts.mails);
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return { mails: opts.mails, seconds, mailsPerSec: opts.mails / seconds };
}
