import { createHash, createHmac, createSecretKey, type Hash, type Hmac, type KeyObject } from 'node:crypto';

/** What the AWS SDK hands its `sha256` hash: a string (utf8 unless told), bytes or an ArrayBuffer. */
type SourceData = string | ArrayBuffer | ArrayBufferView;

const toBuffer = (data: SourceData, encoding?: BufferEncoding): Buffer =>
  typeof data === 'string'
    ? Buffer.from(data, encoding ?? 'utf8')
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

/** HMAC keys by their bytes: SigV4 uses two (the secret for the credentials' cache key, and the day's signing key). */
const keys = new Map<string, KeyObject>();
const MAX_KEYS = 64;

function hmacKey(secret: Buffer): KeyObject {
  const id = secret.toString('latin1');
  let key = keys.get(id);
  if (!key) {
    if (keys.size >= MAX_KEYS) keys.clear();
    key = createSecretKey(secret);
    keys.set(id, key);
  }
  return key;
}

/**
 * The SDK's SHA-256 (and SigV4 HMAC-SHA256), with HMAC keys passed to node:crypto as KeyObjects.
 * The SDK's own (@smithy/core Hash) passes a Buffer key, and on Node 24.21 createHmac with a
 * Buffer or Uint8Array key costs ~22 µs of CPU against ~4 µs on Node 20.20 (the key goes through
 * getKeyObjectSlots every call), while a KeyObject key costs ~4 µs on both. SigV4 makes two HMACs
 * per SQS call (the credentials' cache key and the signature), so that is ~36 µs per call, on
 * every send, receive and delete (issue 11; figures in docs/performance.md).
 */
export class Sha256 {
  private hash: Hash | Hmac;
  private readonly key: KeyObject | Buffer | undefined;

  constructor(secret?: SourceData) {
    const bytes = secret === undefined ? undefined : toBuffer(secret);
    // createSecretKey refuses an empty key; createHmac takes one (as the SDK's Hash would).
    this.key = bytes === undefined ? undefined : bytes.length > 0 ? hmacKey(bytes) : bytes;
    this.hash = this.fresh();
  }

  update(data: SourceData, encoding?: 'utf8' | 'ascii' | 'latin1'): void {
    this.hash.update(toBuffer(data, encoding));
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.hash.digest());
  }

  reset(): void {
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    return this.key === undefined ? createHash('sha256') : createHmac('sha256', this.key);
  }
}
