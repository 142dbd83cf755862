import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { OutboxStore } from '@oms/outbox';
import type { MailSender } from '../../application/mail';

export type ServiceMetrics = ReturnType<typeof createMetrics>;

/** Prometheus metrics of this process, in their own registry (tests start several services). */
export function createMetrics(outbox: OutboxStore) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    messages: new Counter({
      name: 'processing_messages_total',
      help: 'Queue messages handled, by queue and result (processed, failed, duplicate, invalid, retries)',
      labelNames: ['queue', 'result'] as const,
      registers: [registry],
    }),
    handleSeconds: new Histogram({
      name: 'processing_message_duration_seconds',
      help: 'Time to handle one queue message (inbox, render, SMTP, status events)',
      labelNames: ['queue'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    emails: new Counter({
      name: 'processing_emails_total',
      help: 'Confirmation emails handed to SMTP: sent, or failed (any SMTP error, transient or permanent)',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    ordersCompleted: new Counter({
      name: 'processing_orders_completed_total',
      help: 'Orders brought to a final status, by priority (VIP = DIAMOND tier) and status',
      labelNames: ['priority', 'status'] as const,
      registers: [registry],
    }),
    orderLatency: new Histogram({
      name: 'processing_order_latency_seconds',
      help: 'Time from order placement (order service commit) to its final status here, by priority',
      labelNames: ['priority', 'status'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
      registers: [registry],
    }),
    outboxPending: new Gauge({
      name: 'processing_outbox_pending',
      help: 'Status events waiting in the outbox',
      registers: [registry],
      async collect() {
        this.set((await outbox.outboxStats(new Date())).pending);
      },
    }),
    outboxFailed: new Gauge({
      name: 'processing_outbox_failed',
      help: 'Status events parked after too many publish attempts',
      registers: [registry],
      async collect() {
        this.set((await outbox.outboxStats(new Date())).failed);
      },
    }),
  };
}

/** Counts each send attempt's result as it passes through the mail port. */
export function withMailMetrics(mailer: MailSender, metrics: ServiceMetrics): MailSender {
  return {
    async send(mail) {
      try {
        const sent = await mailer.send(mail);
        metrics.emails.inc({ result: 'sent' });
        return sent;
      } catch (err) {
        metrics.emails.inc({ result: 'failed' });
        throw err;
      }
    },
  };
}
