import { ConfirmationEmail } from '../../src/app/confirmation-email';
import { orderPlaced } from '../support/orders';

const email = new ConfirmationEmail({ name: 'OMS Shop', url: 'http://localhost:8000' });

describe('ConfirmationEmail', () => {
  const order = orderPlaced({ orderId: 'ord-42' }).data;
  const mail = email.render(order);

  it('goes to the customer with the order id in the subject', () => {
    expect(mail.to).toBe('asha@example.com');
    expect(mail.subject).toContain('ord-42');
  });

  it.each(['html', 'text'] as const)('%s names the customer, the order, every line and the totals', (part) => {
    const body = mail[part];
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

  it('escapes customer-supplied strings in the HTML', () => {
    const nasty = orderPlaced({
      orderId: 'ord-<i>',
      customer: { name: '<script>alert(1)</script>', email: 'x@example.com' },
      items: [
        { productId: 'p', sku: 'S"1', name: '<img src=x onerror=alert(2)>', unitPriceCents: 100, quantity: 1, lineTotalCents: 100 },
      ],
    }).data;
    const { html } = email.render(nasty);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('ord-<i>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
  });
});
