/** The fields of MongoDB's `hello` reply that say whether multi-document transactions can run. */
export interface HelloReply {
  setName?: unknown;
  msg?: unknown;
}

/**
 * Transactions need a replica set member (setName) or a mongos router (msg "isdbgrid"); a
 * standalone mongod accepts writes but rejects every transaction, so the store refuses it at
 * open with one line that says how to fix it. Returns null when the server is fine.
 */
export function transactionSupportProblem(hello: HelloReply): string | null {
  if (typeof hello.setName === 'string' && hello.setName.length > 0) return null;
  if (hello.msg === 'isdbgrid') return null;
  return (
    'MongoDB at MONGODB_URI is a standalone server without transactions: start mongod with ' +
    '--replSet rs0 and run rs.initiate() once (or `docker compose up -d mongo`), then add ' +
    '?replicaSet=rs0 to MONGODB_URI'
  );
}
