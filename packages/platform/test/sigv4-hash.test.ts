import { createHash, createHmac } from 'node:crypto';
import { Sha256 } from '../src/sqs/sigv4-hash';

const hex = async (h: Sha256) => Buffer.from(await h.digest()).toString('hex');

describe('Sha256 (the SQS client hash, HMAC keys as KeyObjects)', () => {
  it.each([
    ['string key', 'AWS4secret', 'string data'],
    ['byte key', Buffer.from([0, 1, 2, 250, 255, 128]), Buffer.from('bytes')],
    ['Uint8Array view key', new Uint8Array(Buffer.from('xxkeyxx')).subarray(2, 5), new Uint8Array([1, 2, 3])],
    ['empty key', '', 'data'],
  ])('HMAC-SHA256 with a %s equals node:crypto', async (_name, key, data) => {
    const h = new Sha256(key);
    h.update(data);
    const keyBytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key.buffer, key.byteOffset, key.byteLength);
    expect(await hex(h)).toBe(createHmac('sha256', keyBytes).update(data).digest('hex'));
  });

  it('hashes without a key, over several updates, and starts again on reset', async () => {
    const h = new Sha256();
    h.update('a');
    h.update(new Uint8Array([98]).buffer);
    expect(await hex(h)).toBe(createHash('sha256').update('ab').digest('hex'));
    h.reset();
    h.update('c');
    expect(await hex(h)).toBe(createHash('sha256').update('c').digest('hex'));
  });

  it('keeps two keys apart that differ only in their bytes', async () => {
    const a = new Sha256(Buffer.from([1, 2]));
    const b = new Sha256(Buffer.from([1, 3]));
    a.update('x');
    b.update('x');
    expect(await hex(a)).not.toBe(await hex(b));
  });
});
