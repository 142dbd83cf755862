import { addressOf, composeRaw, headerAddress, headerText } from '../../../src/infrastructure/smtp/mime';

const mail = (over: Partial<Parameters<typeof composeRaw>[0]> = {}) =>
  composeRaw({
    from: 'OMS <orders@oms.local>',
    to: 'asha@example.com',
    subject: 'Order ord-1 confirmed',
    text: 'Total: 100.00\n',
    html: '<p>Total: 100.00</p>\n',
    messageId: '<e-1@oms.local>',
    date: new Date('2026-11-22T10:00:00Z'),
    ...over,
  });

/** The parts of a multipart message: [headers, body] each, split at its boundary. */
function parts(raw: string): { headers: string; body: string }[] {
  const boundary = /boundary="([^"]+)"/.exec(raw)![1]!;
  return raw
    .split(`\r\n--${boundary}`)
    .slice(1, -1)
    .map((p) => {
      const [headers, ...body] = p.replace(/^\r\n/, '').split('\r\n\r\n');
      return { headers: headers!, body: body.join('\r\n\r\n') };
    });
}

describe('composeRaw', () => {
  it('writes the headers and a text and an HTML part, both 7bit when ASCII', () => {
    const raw = mail();
    const [head] = raw.split('\r\n\r\n');
    expect(head!.split('\r\n')).toEqual([
      'From: "OMS" <orders@oms.local>',
      'To: asha@example.com',
      'Subject: Order ord-1 confirmed',
      'Message-ID: <e-1@oms.local>',
      'Date: Sun, 22 Nov 2026 10:00:00 +0000',
      'MIME-Version: 1.0',
      expect.stringMatching(/^Content-Type: multipart\/alternative; boundary="=_oms_[\w-]+_\d+"$/),
    ]);
    const [text, html] = parts(raw);
    expect(text).toEqual({
      headers: 'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit',
      body: 'Total: 100.00\n',
    });
    expect(html).toEqual({
      headers: 'Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 7bit',
      body: '<p>Total: 100.00</p>\n',
    });
  });

  it('keeps HTML 7bit with numeric references and sends non-ASCII text as base64', () => {
    const [text, html] = parts(mail({ text: 'Zoë paid ₹100 😀', html: '<p>Zoë paid ₹100 😀</p>' }));
    expect(html!.body).toBe('<p>Zo&#235; paid &#8377;100 &#128512;</p>');
    expect(text!.headers).toContain('Content-Transfer-Encoding: base64');
    expect(Buffer.from(text!.body, 'base64').toString('utf8')).toBe('Zoë paid ₹100 😀');
  });

  it('falls back to base64 for lines over 998 octets and for bare CRs, wrapping at 76', () => {
    for (const body of ['x'.repeat(1200), 'a\rb']) {
      const [text] = parts(mail({ text: body }));
      expect(text!.headers).toContain('Content-Transfer-Encoding: base64');
      expect(text!.body.split('\r\n').every((l) => l.length <= 76)).toBe(true);
      expect(Buffer.from(text!.body, 'base64').toString('utf8')).toBe(body);
    }
  });

  it('gives every message its own boundary', () => {
    const b = (raw: string) => /boundary="([^"]+)"/.exec(raw)![1];
    expect(b(mail())).not.toBe(b(mail()));
  });
});

describe('headers', () => {
  it('encodes non-ASCII and line breaks as one RFC 2047 word, so nothing can inject a header', () => {
    expect(headerText('Order 1 confirmed')).toBe('Order 1 confirmed');
    expect(headerText('Zoë')).toBe(`=?UTF-8?B?${Buffer.from('Zoë').toString('base64')}?=`);
    expect(headerText('x\r\nBcc: evil@example.com')).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
  });

  it('quotes display names and strips line breaks from bare addresses', () => {
    expect(headerAddress('OMS Shop <orders@oms.local>')).toBe('"OMS Shop" <orders@oms.local>');
    expect(headerAddress('"OMS Shop" <orders@oms.local>')).toBe('"OMS Shop" <orders@oms.local>');
    expect(headerAddress('<orders@oms.local>')).toBe('<orders@oms.local>');
    expect(headerAddress('Zoë <z@b.c>')).toBe(`=?UTF-8?B?${Buffer.from('Zoë').toString('base64')}?= <z@b.c>`);
    expect(headerAddress('a@b.c\r\nBcc: x@y.z')).toBe('a@b.c Bcc: x@y.z');
    expect(addressOf('OMS <orders@oms.local>')).toBe('orders@oms.local');
    expect(addressOf(' a@b.c ')).toBe('a@b.c');
  });
});
