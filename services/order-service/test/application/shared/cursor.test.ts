import { decodeCursor, encodeCursor, InvalidCursorError } from '../../../src/application/shared/cursor';

const b64 = (s: string) => Buffer.from(s).toString('base64url');

describe('cursor', () => {
  it('round-trips a position and looks opaque', () => {
    const pos = { createdAt: new Date('2024-05-01T10:20:30.456Z'), id: '0f8e6c1a-1111-4222-8333-444455556666' };
    const cursor = encodeCursor(pos);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(pos);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc$%^'],
    ['padding', `${b64('{"t":"2024-05-01T10:20:30.456Z","i":"x"}')}=`],
    ['not JSON', b64('hello')],
    ['JSON array', b64('[1,2]')],
    ['JSON null', b64('null')],
    ['missing id', b64('{"t":"2024-05-01T10:20:30.456Z"}')],
    ['empty id', b64('{"t":"2024-05-01T10:20:30.456Z","i":""}')],
    ['id not a string', b64('{"t":"2024-05-01T10:20:30.456Z","i":{"$gt":""}}')],
    ['bad date', b64('{"t":"yesterday","i":"x"}')],
    ['non-canonical date', b64('{"t":"2024-05-01","i":"x"}')],
    ['extra keys', b64('{"t":"2024-05-01T10:20:30.456Z","i":"x","admin":true}')],
    ['too long', 'A'.repeat(600)],
  ])('rejects %s', (_name, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(InvalidCursorError);
  });
});
