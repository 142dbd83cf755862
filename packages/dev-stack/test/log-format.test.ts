import { formatLine } from '../src/log-format';

describe('formatLine', () => {
  it('prefixes plain lines with the part name', () => {
    expect(formatLine('mail', 'MailDev webapp running')).toBe('[mail]       MailDev webapp running');
  });

  it('folds a pino request line into level, message, request and a few fields', () => {
    const line = JSON.stringify({
      level: 30,
      time: Date.UTC(2025, 0, 1, 12, 30, 45, 123),
      pid: 1,
      hostname: 'h',
      service: 'order-service',
      reqId: 'req-7',
      req: { method: 'POST', url: '/api/orders' },
      res: { statusCode: 201 },
      responseTime: 12.345,
      msg: 'request completed',
    });
    expect(formatLine('order', line)).toBe('[order]      12:30:45.123 INFO  request completed POST /api/orders 201 12.3ms reqId=req-7');
  });

  it('shows the error stack of an error line on the following lines, each prefixed', () => {
    const line = JSON.stringify({ level: 50, msg: 'send failed', err: { type: 'Error', message: 'x', stack: 'Error: x\n    at y' } });
    expect(formatLine('processing', line).split('\n')).toEqual([
      '[processing] ERROR send failed',
      '[processing] Error: x',
      '[processing]     at y',
    ]);
  });

  it('passes through JSON that is not a pino record and broken JSON', () => {
    expect(formatLine('sqs', '{"hello":1}')).toBe('[sqs]        {"hello":1}');
    expect(formatLine('sqs', '{oops')).toBe('[sqs]        {oops');
  });

  it('colors only when asked', () => {
    expect(formatLine('order', 'x', true)).toContain('\u001b[36m[order]');
  });
});
