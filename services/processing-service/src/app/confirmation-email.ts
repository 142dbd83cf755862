import Mailgen from 'mailgen';
import type { OrderPlacedV1 } from '@oms/contracts';
import { formatMoney } from '../domain/money';
import { priorityNote } from '../domain/priority-note';
import type { OutgoingMail } from './mail';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** mailgen inserts values as raw HTML, so everything that came from a customer is escaped here. */
const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/**
 * Renders the order confirmation. The Mailgen instance (theme read and cached) is built once;
 * rendering still costs ~4 ms per mail (ejs + juice), a later issue moves it off the hot path.
 */
export class ConfirmationEmail {
  private readonly mailgen: Mailgen;

  constructor(shop: { name: string; url: string }) {
    this.mailgen = new Mailgen({ theme: 'default', product: { name: esc(shop.name), link: esc(shop.url) } });
  }

  render(order: OrderPlacedV1): OutgoingMail {
    const money = (minor: number) => formatMoney(minor, order.currency);
    const common = {
      name: esc(order.customer.name),
      intro: [`Thank you for your order <b>${esc(order.orderId)}</b>. It has been ${priorityNote(order.priority)}.`],
      dictionary: {
        order: esc(order.orderId),
        subtotal: money(order.totals.subtotalCents),
        tax: money(order.totals.taxCents),
        total: money(order.totals.totalCents),
      },
      outro: 'We will let you know when it ships.',
    };
    const html = this.mailgen.generate({
      body: {
        ...common,
        table: {
          data: order.items.map((line) => ({
            item: esc(line.name),
            sku: esc(line.sku),
            quantity: String(line.quantity),
            price: money(line.unitPriceCents),
            total: money(line.lineTotalCents),
          })),
          columns: { customAlignment: { quantity: 'right', price: 'right', total: 'right' } },
        },
      },
    }) as string;
    // The default plaintext theme has no table, so the lines go into the intro there.
    const lines = order.items.map(
      (l) => `${l.quantity} x ${esc(l.name)} (${esc(l.sku)}) at ${money(l.unitPriceCents)} = ${money(l.lineTotalCents)}`,
    );
    const text = this.mailgen.generatePlaintext({ body: { ...common, intro: [...common.intro, ...lines] } }) as string;
    return { to: order.customer.email, subject: `Order ${order.orderId} confirmed`, html, text };
  }
}
