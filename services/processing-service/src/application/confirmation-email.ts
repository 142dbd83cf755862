import Mailgen from 'mailgen';
import type { OrderPlacedV1 } from '@oms/contracts';
import { formatMoney } from '../domain/money';
import { priorityNote } from '../domain/priority-note';
import { asciiHtml, type OutgoingMail } from './mail';
import { fillRepeating, marker, markerOnly, repeating, tableRow, type RepeatingTemplate } from './template-fill';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** mailgen inserts values as raw HTML, so everything that came from a customer is escaped here. */
const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
const html = (s: string): string => asciiHtml(esc(s));
/** The theme's indentation is a quarter of its bytes; HTML without <pre> reads the same without it. */
const unindent = (page: string): string => page.replace(/^[ \t]+/gm, '');

type Values = Record<string, string>;

/** The mail's content with a marker (or, for the HTML, escaped value) in every variable place. */
function content(name: string) {
  return {
    name,
    intro: [`Thank you for your order <b>${marker('order')}</b>. It has been ${marker('note')}.`],
    dictionary: { order: marker('order'), subtotal: marker('subtotal'), tax: marker('tax'), total: marker('total') },
    outro: 'We will let you know when it ships.',
  };
}

const ROW_KEYS = ['item', 'sku', 'quantity', 'price', 'total'] as const;

/**
 * Renders the order confirmation with mailgen's default theme. Mailgen itself (ejs + juice, ~4 ms
 * a mail) runs once, in the constructor, with markers for the order's values; render() fills the
 * markers (see template-fill.ts), which is what lets one core keep up with the SMTP pool.
 */
export class ConfirmationEmail {
  private readonly html: RepeatingTemplate;
  private readonly text: RepeatingTemplate;

  constructor(shop: { name: string; url: string }) {
    const mailgen = new Mailgen({ theme: 'default', product: { name: esc(shop.name), link: esc(shop.url) } });
    const body = content(marker('name'));
    const row = Object.fromEntries(ROW_KEYS.map((k) => [k, marker(k === 'total' ? 'lineTotal' : k)]));
    const second = Object.fromEntries(ROW_KEYS.map((k) => [k, marker('second')]));
    const page = mailgen.generate({
      body: {
        ...body,
        table: { data: [row, second], columns: { customAlignment: { quantity: 'right', price: 'right', total: 'right' } } },
      },
    }) as string;
    // The default plaintext theme has no table, so the lines go into the intro there.
    const text = mailgen.generatePlaintext({
      body: { ...body, intro: [...body.intro, marker('line'), marker('second')] },
    }) as string;
    this.html = repeating(asciiHtml(unindent(page)), 'item', tableRow);
    this.text = repeating(text, 'line', markerOnly);
  }

  render(order: OrderPlacedV1): OutgoingMail {
    const money = (minor: number) => formatMoney(minor, order.currency);
    const values = (e: (s: string) => string): Values => ({
      name: e(order.customer.name),
      order: e(order.orderId),
      note: priorityNote(order.priority),
      subtotal: e(money(order.totals.subtotalCents)),
      tax: e(money(order.totals.taxCents)),
      total: e(money(order.totals.totalCents)),
    });
    const htmlPart = fillRepeating(
      this.html,
      values(html),
      order.items.map((l) => ({
        item: html(l.name),
        sku: html(l.sku),
        quantity: String(l.quantity),
        price: html(money(l.unitPriceCents)),
        lineTotal: html(money(l.lineTotalCents)),
      })),
    );
    // Plain text is not HTML: values go in as they are.
    const text = fillRepeating(
      this.text,
      values((s) => s),
      order.items.map((l) => ({
        line: `${l.quantity} x ${l.name} (${l.sku}) at ${money(l.unitPriceCents)} = ${money(l.lineTotalCents)}`,
      })),
    );
    return { to: order.customer.email, subject: `Order ${order.orderId} confirmed`, html: htmlPart, text };
  }
}
