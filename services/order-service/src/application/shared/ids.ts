import { randomFillSync } from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const pool = Buffer.alloc(8 * 8192);
let offset = pool.length;
let lastMs = -1;
let tsHex = '';
let seq = 0;

/**
 * Ids are chosen by the app (not the database) so every adapter stores the same values.
 * UUIDv7 (RFC 9562): 48-bit ms timestamp, a 12-bit sequence within the millisecond, then random
 * bits. Ids made in order sort in order, so keyset pages of rows made in one millisecond keep their order and a million bulk inserts append to the primary key
 * b-tree instead of scattering over it (random v4 ids cost SQLite several times more).
 */
export function newId(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    seq = 0;
    tsHex = lastMs.toString(16).padStart(12, '0');
  } else if (++seq > 0xfff) {
    // More than 4096 ids in one ms: borrow the next ms rather than break the order.
    lastMs++;
    seq = 0;
    tsHex = lastMs.toString(16).padStart(12, '0');
  }
  if (offset + 8 > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const o = offset;
  offset += 8;
  const b = pool;
  return (
    `${tsHex.slice(0, 8)}-${tsHex.slice(8)}-7${HEX[seq >> 8]![1]}${HEX[seq & 0xff]}-` +
    `${HEX[(b[o]! & 0x3f) | 0x80]}${HEX[b[o + 1]!]}-${HEX[b[o + 2]!]}${HEX[b[o + 3]!]}${HEX[b[o + 4]!]}${HEX[b[o + 5]!]}${HEX[b[o + 6]!]}${HEX[b[o + 7]!]}`
  );
}
