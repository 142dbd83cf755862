/**
 * What a MongoDB-wire server can do, probed once per test lane. Tests that need a capability the
 * server lacks are skipped through `needs()` (test-server.ts); against a real replica set every
 * probe passes and everything runs.
 */
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';

export const CAPABILITIES = {
  concurrency:
    'detects no write conflicts (two transactions writing one document both commit), so races between connections cannot be tested',
  changeStreams: 'has no change streams',
  explain: 'has no explain command, so query plans cannot be pinned',
  dropIndexes: 'has no dropIndexes command',
  collMod: 'has no collMod command (a changed TTL cannot be applied)',
  dropDatabase: 'has no dropDatabase command (test databases are left to the throwaway server)',
  findAndModifyRemove: "refuses findAndModify's `new: false, upsert: false` next to `remove: true` (the driver's findOneAndDelete)",
} as const;

export type Capability = keyof typeof CAPABILITIES;
/** Missing capabilities and why, as the lane hands them to the tests (env OMS_MONGO_LACKS, JSON). */
export type Lacks = Partial<Record<Capability, string>>;
export const LACKS_ENV = 'OMS_MONGO_LACKS';

/** Whether the server does it; a refusal with one of okCodes is an answer, so also a yes. */
async function supported(op: () => Promise<unknown>, okCodes: number[] = []): Promise<boolean> {
  try {
    await op();
    return true;
  } catch (err) {
    if (!(err instanceof mongoose.mongo.MongoServerError)) throw err;
    return okCodes.includes(Number(err.code));
  }
}

/** A write conflict is what makes the second of two overlapping transactions on one document fail. */
async function detectsWriteConflicts(client: mongoose.mongo.MongoClient, rows: mongoose.mongo.Collection): Promise<boolean> {
  await rows.insertOne({ _id: 'conflict', n: 0 } as never);
  const [a, b] = [client.startSession(), client.startSession()];
  try {
    a.startTransaction();
    b.startTransaction();
    await rows.updateOne({ _id: 'conflict' } as never, { $inc: { n: 1 } }, { session: a });
    const second = await supported(() => rows.updateOne({ _id: 'conflict' } as never, { $inc: { n: 1 } }, { session: b }));
    return !second;
  } finally {
    await a.abortTransaction().catch(() => undefined);
    await b.abortTransaction().catch(() => undefined);
    await a.endSession();
    await b.endSession();
  }
}

export async function probeCapabilities(uri: string): Promise<Lacks> {
  const client = new mongoose.mongo.MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  const db = client.db(`oms_probe_${randomUUID().slice(0, 8)}`);
  const rows = db.collection('probe');
  try {
    await rows.createIndex({ n: 1 }, { name: 'probe_n' });
    const has: Record<Capability, boolean> = {
      concurrency: await detectsWriteConflicts(client, rows),
      changeStreams: await supported(async () => {
        const stream = rows.watch([], { maxAwaitTimeMS: 1 });
        try {
          await stream.tryNext();
        } finally {
          await stream.close();
        }
      }),
      explain: await supported(() => rows.find({ n: 1 }).explain('queryPlanner')),
      dropIndexes: await supported(() => db.command({ dropIndexes: 'probe', index: 'no_such_index' }), [27 /* IndexNotFound */]),
      collMod: await supported(() => db.command({ collMod: 'probe', index: { name: 'probe_n', hidden: false } })),
      findAndModifyRemove: await supported(() => rows.findOneAndDelete({ _id: 'conflict' } as never)),
      dropDatabase: await supported(() => db.dropDatabase()),
    };
    return Object.fromEntries((Object.keys(has) as Capability[]).filter((c) => !has[c]).map((c) => [c, CAPABILITIES[c]]));
  } finally {
    await client.close();
  }
}
