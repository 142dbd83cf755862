import { formatMoney } from '../../src/domain/money';
import { priorityNote } from '../../src/domain/priority-note';
import { classifySmtpFailure } from '../../src/domain/smtp-failure';

describe('priorityNote', () => {
  it('says VIP orders were sent with priority', () => {
    expect(priorityNote('VIP')).toBe('sent with priority');
  });
  it('says normal orders were processed without priority', () => {
    expect(priorityNote('NORMAL')).toBe('processed without priority');
  });
});

describe('classifySmtpFailure', () => {
  it.each([
    [{ code: 'ECONNECTION' }, 'unavailable'],
    [{ code: 'ESOCKET' }, 'unavailable'],
    [{ code: 'ETIMEDOUT' }, 'unavailable'],
    [{ code: 'EDNS' }, 'unavailable'],
    [{ code: 'EAUTH', responseCode: 535 }, 'unavailable'],
    [{ code: 'EENVELOPE', responseCode: 421 }, 'unavailable'],
    [{ code: 'EENVELOPE', responseCode: 450 }, 'transient'],
    [{ code: 'EMESSAGE', responseCode: 452 }, 'transient'],
    [{ code: 'EENVELOPE', responseCode: 503 }, 'transient'],
    [{ code: 'EENVELOPE', responseCode: 550 }, 'permanent'],
    [{ code: 'EENVELOPE', responseCode: 553 }, 'permanent'],
    [{ code: 'EMESSAGE', responseCode: 554 }, 'permanent'],
    [{}, 'transient'],
  ] as const)('%j -> %s', (err, kind) => {
    expect(classifySmtpFailure(err)).toBe(kind);
  });
});

describe('formatMoney', () => {
  it('formats minor units with the currency exponent', () => {
    expect(formatMoney(123450, 'INR')).toBe('₹1,234.50');
    expect(formatMoney(999, 'USD')).toBe('$9.99');
    expect(formatMoney(1500, 'JPY')).toBe('¥1,500');
  });
});
