import mongoose from 'mongoose';
import { adminOrderFilter, afterCursor, idempotencyKeyFilter, toPage } from '../../../src/infrastructure/mongo/queries';

const { trusted } = mongoose;

const at = new Date('2026-01-02T03:04:05.678Z');
const later = new Date('2026-02-01T00:00:00.000Z');

describe('keyset cursor filter', () => {
  it('is empty on the first page', () => {
    expect(afterCursor(null)).toEqual({});
  });

  it('selects rows after the cursor in newest-first order, and survives sanitizeFilter', () => {
    const filter = afterCursor({ createdAt: at, id: 'm' });
    expect(filter).toEqual({ $or: [{ createdAt: trusted({ $lt: at }) }, { createdAt: at, _id: trusted({ $lt: 'm' }) }] });
    expect(mongoose.sanitizeFilter(afterCursor({ createdAt: at, id: 'm' }))).toEqual(filter);
  });
});

describe('idempotency key filter', () => {
  it("implies the partial index's $type filter, and survives sanitizeFilter", () => {
    const filter = idempotencyKeyFilter('u1', 'key-1');
    expect(filter).toEqual({ userId: 'u1', idempotencyKey: trusted({ $eq: 'key-1', $type: 'string' }) });
    expect(mongoose.sanitizeFilter(idempotencyKeyFilter('u1', 'key-1'))).toEqual(filter);
  });
});

describe('toPage', () => {
  const docs = ['a', 'b', 'c'].map((id, i) => ({ _id: id, createdAt: new Date(at.getTime() - i) }));

  it('keeps limit rows and points the cursor at the last one kept when more follow', () => {
    expect(toPage(docs, 2, (d) => d._id)).toEqual({ items: ['a', 'b'], next: { createdAt: docs[1]!.createdAt, id: 'b' } });
  });

  it('has no cursor on the last page', () => {
    expect(toPage(docs, 3, (d) => d._id)).toEqual({ items: ['a', 'b', 'c'], next: null });
  });
});

describe('adminOrderFilter', () => {
  const base = { after: null, limit: 20 };

  it('matches everything without criteria', () => {
    expect(adminOrderFilter(base)).toEqual({});
  });

  it('combines status, a half-open date range and the cursor', () => {
    const filter = adminOrderFilter({ ...base, after: { createdAt: later, id: 'z' }, status: 'PROCESSED', from: at, to: later });
    expect(filter).toEqual({
      $and: [
        { $or: [{ createdAt: trusted({ $lt: later }) }, { createdAt: later, _id: trusted({ $lt: 'z' }) }] },
        { status: 'PROCESSED' },
        { createdAt: trusted({ $gte: at, $lt: later }) },
      ],
    });
    expect(
      mongoose.sanitizeFilter(
        adminOrderFilter({ ...base, after: { createdAt: later, id: 'z' }, status: 'PROCESSED', from: at, to: later }),
      ),
    ).toEqual(filter);
  });

  it('searches product name, sku and user name as a literal case-insensitive substring', () => {
    const filter = adminOrderFilter({ ...base, q: '  a.b*(c)  ' });
    expect(filter).toEqual({
      $and: [{ $or: [{ 'items.name': /a\.b\*\(c\)/i }, { 'items.sku': /a\.b\*\(c\)/i }, { username: /a\.b\*\(c\)/i }] }],
    });
    const like = (filter as { $and: [{ $or: [{ 'items.name': RegExp }] }] }).$and[0].$or[0]['items.name'];
    expect(like.test('XA.B*(C)Y')).toBe(true);
    expect(like.test('aXb(c)')).toBe(false);
  });

  it('also matches the total when the text is an amount in minor units', () => {
    const filter = adminOrderFilter({ ...base, q: '2950' }) as { $and: [{ $or: object[] }] };
    expect(filter.$and[0].$or).toContainEqual({ totalCents: 2950 });
    expect((adminOrderFilter({ ...base, q: '29.50' }) as { $and: [{ $or: object[] }] }).$and[0].$or).toHaveLength(3);
  });

  it('keeps operator-looking text from a client as data', () => {
    const filter = adminOrderFilter({ ...base, q: '{"$gt":""}' });
    expect(mongoose.sanitizeFilter(adminOrderFilter({ ...base, q: '{"$gt":""}' }))).toEqual(filter);
    const like = (filter as { $and: [{ $or: [object, object, { username: RegExp }] }] }).$and[0].$or[2].username;
    expect(like.test('{"$gt":""}')).toBe(true);
    expect(like.test('anything')).toBe(false);
  });
});

describe('sanitizeFilter itself (why the adapter marks its operators as trusted)', () => {
  it('turns an untrusted operator object into a literal match', () => {
    expect(mongoose.sanitizeFilter({ email: { $ne: null } })).toEqual({ email: { $eq: { $ne: null } } });
  });
});
