import Mailgen from 'mailgen';
import type { OrderPlacedV1 } from '@oms/contracts';
import { ConfirmationEmail } from '../../src/application/confirmation-email';
import { formatMoney } from '../../src/domain/money';
import { priorityNote } from '../../src/domain/priority-note';
import { orderPlaced } from '../support/orders';

const email = new ConfirmationEmail({ name: 'OMS Shop', url: 'http://localhost:8000' });
/** The HTML says non-ASCII characters as numeric references; this reads them back. */
const decodeRefs = (html: string) => html.replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));

describe('ConfirmationEmail', () => {
  const order = orderPlaced({ orderId: 'ord-42' }).data;
  const mail = email.render(order);

  it('goes to the customer with the order id in the subject', () => {
    expect(mail.to).toBe('asha@example.com');
    expect(mail.subject).toContain('ord-42');
  });

  it.each(['html', 'text'] as const)('%s names the customer, the order, every line and the totals', (part) => {
    const body = part === 'html' ? decodeRefs(mail.html) : mail.text;
    for (const expected of [
      'Asha Rao',
      'ord-42',
      'Assam Tea 250g',
      'TEA-250',
      '₹450.00',
      '₹900.00',
      'Steel Mug',
      '₹299.00',
      '₹1,199.00',
      '₹215.82',
      '₹1,414.82',
    ]) {
      expect(body).toContain(expected);
    }
  });

  it('says whether the order went with priority', () => {
    expect(mail.text).toContain('processed without priority');
    expect(email.render(orderPlaced({ priority: 'VIP', tier: 'DIAMOND' }).data).text).toContain('sent with priority');
  });

  it('writes the HTML in ASCII, every other character as a numeric reference', () => {
    const zoe = email.render(orderPlaced({ customer: { name: 'Zoë 山田 😀', email: 'z@example.com' } }).data);
    expect(zoe.html).toMatch(/^[\x00-\x7f]*$/);
    expect(zoe.html).toContain('Zo&#235; &#23665;&#30000; &#128512;');
    expect(zoe.html).toContain('&#8377;1,414.82');
    expect(zoe.text).toContain('Zoë 山田 😀');
  });

  it('escapes customer-supplied strings in the HTML', () => {
    const nasty = orderPlaced({
      orderId: 'ord-<i>',
      customer: { name: '<script>alert(1)</script>', email: 'x@example.com' },
      items: [{ productId: 'p', sku: 'S"1', name: '<img src=x onerror=alert(2)>', unitPriceCents: 100, quantity: 1, lineTotalCents: 100 }],
    }).data;
    const { html } = email.render(nasty);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('ord-<i>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
  });
});

describe('ConfirmationEmail is mailgen rendered once and filled per order', () => {
  /** What rendering every mail with mailgen itself produces (the pre-compiled path must match it). */
  function mailgenReference(order: OrderPlacedV1) {
    const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
    const mailgen = new Mailgen({ theme: 'default', product: { name: 'OMS Shop', link: 'http://localhost:8000' } });
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
    const html = mailgen.generate({
      body: {
        ...common,
        table: {
          data: order.items.map((l) => ({
            item: esc(l.name),
            sku: esc(l.sku),
            quantity: String(l.quantity),
            price: money(l.unitPriceCents),
            total: money(l.lineTotalCents),
          })),
          columns: { customAlignment: { quantity: 'right', price: 'right', total: 'right' } },
        },
      },
    }) as string;
    const lines = order.items.map((l) => `${l.quantity} x ${l.name} (${l.sku}) at ${money(l.unitPriceCents)} = ${money(l.lineTotalCents)}`);
    const text = mailgen.generatePlaintext({ body: { ...common, intro: [...common.intro, ...lines] } }) as string;
    return { html, text };
  }

  const line = (i: number) => ({
    productId: `p-${i}`,
    sku: `SKU-${i}`,
    name: `Item & "${i}"`,
    unitPriceCents: 100 * i,
    quantity: i,
    lineTotalCents: 100 * i * i,
  });

  it.each([1, 2, 5])('gives the mailgen HTML (unindented, non-ASCII as references) and text for %i line(s)', (n) => {
    const order = orderPlaced({ items: Array.from({ length: n }, (_, i) => line(i + 1)), priority: n === 2 ? 'VIP' : 'NORMAL' }).data;
    const mail = email.render(order);
    const reference = mailgenReference(order);
    // The same page, unindented, with non-ASCII characters as numeric references.
    const expected = reference.html.replace(/^[ \t]+/gm, '').replace(/[^\x00-\x7f]/gu, (c) => `&#${c.codePointAt(0)};`);
    expect(mail.html).toBe(expected);
    expect(mail.text).toBe(reference.text);
  });

  it('does not treat marker-like customer text as a marker', () => {
    const order = orderPlaced({ customer: { name: '@@order@@', email: 'm@example.com' } }).data;
    expect(email.render(order).html).toContain('@@order@@');
  });
});
