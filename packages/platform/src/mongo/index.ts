/**
 * MongoDB connection setup shared by both services' stores and the outbox. Import it as
 * '@oms/platform/mongo': it is left out of the package index so that a process on SQLite
 * never loads mongoose.
 */
import mongoose, { type Connection, type Model, type mongo, type Schema } from 'mongoose';

export interface MongoConnectOptions {
  /** Overrides the database named in the URI (tests use a throwaway one). */
  dbName?: string;
}

/** Every multi-document transaction: read one snapshot, commit only once a majority has the write. */
export const TRANSACTION_OPTIONS: mongo.TransactionOptions = {
  readConcern: { level: 'snapshot' },
  writeConcern: { w: 'majority' },
};

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

/**
 * One connection per store. sanitizeFilter turns `{ $gt: '' }` arriving as data into a literal
 * ($eq), so adapters mark their own operators with mongoose.trusted(); each schema sets
 * strictQuery 'throw', so a filter on a path the schema lacks is a bug that shows, never a
 * silently wider match. Collections and indexes are made explicitly by the store at open,
 * never implicitly (autoCreate/autoIndex off) and never inside a transaction.
 */
export async function connectMongo(uri: string, opts: MongoConnectOptions = {}): Promise<Connection> {
  const conn = mongoose.createConnection(uri, {
    ...(opts.dbName ? { dbName: opts.dbName } : {}),
    sanitizeFilter: true,
    autoIndex: false,
    autoCreate: false,
    serverSelectionTimeoutMS: 10_000,
  });
  try {
    await conn.asPromise();
    const hello = await database(conn).admin().command({ hello: 1 });
    const problem = transactionSupportProblem(hello);
    if (problem) throw new MongoSetupError(problem);
    return conn;
  } catch (err) {
    await conn.close().catch(() => undefined);
    throw err;
  }
}

/** A deployment problem, not a bug: its message is the whole story, so the stack is left out of logs. */
export class MongoSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MongoSetupError';
    this.stack = `${this.name}: ${message}`;
  }
}

export function database(conn: Connection): mongo.Db {
  if (!conn.db) throw new Error('MongoDB connection is not open');
  return conn.db;
}

/**
 * E11000, optionally on a given index. The index is named in the server's message
 * ("... index: users_email dup key: ..."), which every server sends; keyPattern is optional on the
 * wire and absent from some servers' replies, so it is not relied on.
 */
export function isDuplicateKey(err: unknown, index?: string): boolean {
  if (!(err instanceof mongoose.mongo.MongoServerError) || err.code !== 11000) return false;
  if (index === undefined) return true;
  return /\bindex: (\S+) dup key/.exec(err.message)?.[1] === index;
}

/** MongoDB's code for "collection already exists". */
const NAMESPACE_EXISTS = 48;

/**
 * Makes a model's collection and its schema's indexes in one createIndexes command (never inside a
 * transaction). createIndexes creates a missing collection itself, so no separate `create` is sent.
 * A replica opening at the same moment may create the collection first (NamespaceExists): that is
 * done, and the indexes are asked for once more.
 */
export async function ensureCollection(model: Pick<Model<unknown>, 'collection' | 'modelName'> & { schema: Schema }): Promise<void> {
  const declared = model.schema.indexes().map(([key, options]) => ({ ...options, key }) as mongo.IndexDescription);
  // A schema with no index of its own (keyed and read by _id alone) asks for the _id index, which
  // every collection has: the command still creates the collection.
  const indexes = declared.length > 0 ? declared : [{ key: { _id: 1 }, name: '_id_' }];
  try {
    await model.collection.createIndexes(indexes);
  } catch (err) {
    if (!(err instanceof mongoose.mongo.MongoServerError) || err.code !== NAMESPACE_EXISTS) throw err;
    await model.collection.createIndexes(indexes);
  }
}
