import mongoose, { Schema, type Connection } from 'mongoose';
import { mongoTestServer } from '@oms/dev-stack/mongo';
import { connectMongo, ensureCollection, isDuplicateKey, MongoSetupError, transactionSupportProblem } from '../src/mongo';

// The pure parts of the MongoDB setup always; the parts that talk to a server when MONGODB_URI is set.

describe('transactionSupportProblem (hello reply)', () => {
  it('accepts a replica set member', () => {
    expect(transactionSupportProblem({ setName: 'rs0', isWritablePrimary: true } as { setName: string })).toBeNull();
  });

  it('accepts a mongos router', () => {
    expect(transactionSupportProblem({ msg: 'isdbgrid' })).toBeNull();
  });

  it('refuses a standalone server with one line that says how to fix it', () => {
    const problem = transactionSupportProblem({ isWritablePrimary: true } as object);
    expect(problem).toContain('--replSet rs0');
    expect(problem).toContain('rs.initiate()');
    expect(problem).toContain('docker compose up -d mongo');
    expect(problem).not.toContain('\n');
  });

  it('refuses an empty set name', () => {
    expect(transactionSupportProblem({ setName: '' })).not.toBeNull();
  });

  it('reports the refusal without a stack trace', () => {
    const err = new MongoSetupError('standalone');
    expect(err.stack).toBe('MongoSetupError: standalone');
  });
});

describe('isDuplicateKey', () => {
  const e11000 = (message: string, keyPattern?: object) =>
    new mongoose.mongo.MongoServerError({ message, code: 11000, ...(keyPattern ? { keyPattern } : {}) });
  // MongoDB 7's message (with keyPattern), and a server that sends neither the collection nor keyPattern.
  const mongo7 = e11000('E11000 duplicate key error collection: oms.users index: users_email dup key: { email: "a@b.c" }', { email: 1 });
  const bare = e11000('E11000 duplicate key error index: orders_idempotency dup key: { userId: "u", idempotencyKey: "k" }');

  it('recognises E11000 on the named index by the message, with or without keyPattern', () => {
    expect(isDuplicateKey(mongo7, 'users_email')).toBe(true);
    expect(isDuplicateKey(bare, 'orders_idempotency')).toBe(true);
    expect(isDuplicateKey(mongo7, 'orders_idempotency')).toBe(false);
    expect(isDuplicateKey(bare, 'users_email')).toBe(false);
    expect(isDuplicateKey(e11000('E11000 duplicate key error index: users_email_2 dup key: {}'), 'users_email')).toBe(false);
    expect(isDuplicateKey(bare)).toBe(true);
  });

  it('ignores other errors', () => {
    expect(isDuplicateKey(new mongoose.mongo.MongoServerError({ message: 'other', code: 112 }), 'users_email')).toBe(false);
    expect(isDuplicateKey(new Error('E11000 duplicate key error index: users_email dup key'), 'users_email')).toBe(false);
    expect(isDuplicateKey({ code: 11000, message: 'index: users_email dup key' }, 'users_email')).toBe(false);
  });
});

const server = mongoTestServer();

if (server) {
  describe('MongoDB setup against a server', () => {
    let conn: Connection;
    beforeEach(async () => {
      conn = await connectMongo(server.uri, { dbName: server.freshDatabaseName('oms_platform') });
    });
    afterEach(async () => {
      await server.dropDatabase(conn);
      await conn.close();
    });

    const model = () => {
      const schema = new Schema({ _id: String, email: String, n: Number }, { versionKey: false });
      schema.index({ email: 1 }, { name: 'people_email', unique: true });
      schema.index({ n: 1 }, { name: 'people_n_ttl', expireAfterSeconds: 60 });
      return conn.model('Person', schema, 'people');
    };

    it('makes a missing collection with its indexes through createIndexes, and again as a no-op', async () => {
      const people = model();
      await ensureCollection(people);
      await ensureCollection(people);
      const indexes = await people.collection.indexes();
      expect(indexes.map((i) => i.name).sort()).toEqual(['_id_', 'people_email', 'people_n_ttl']);
      expect(indexes.find((i) => i.name === 'people_email')).toMatchObject({ unique: true });
      expect(indexes.find((i) => i.name === 'people_n_ttl')).toMatchObject({ expireAfterSeconds: 60 });
    });

    it("recognises the server's own duplicate-key error by index name", async () => {
      const people = model();
      await ensureCollection(people);
      await people.create({ _id: 'a', email: 'x@y.z', n: 1 });
      const byEmail = await people.create({ _id: 'b', email: 'x@y.z', n: 2 }).catch((err: unknown) => err);
      expect(isDuplicateKey(byEmail, 'people_email')).toBe(true);
      expect(isDuplicateKey(byEmail, '_id_')).toBe(false);
      const byId = await people.create({ _id: 'a', email: 'other@y.z', n: 3 }).catch((err: unknown) => err);
      expect(isDuplicateKey(byId, '_id_')).toBe(true);
      expect(isDuplicateKey(byId, 'people_email')).toBe(false);
    });
  });
} else {
  describe.skip('MongoDB setup against a server (skipped: set MONGODB_URI to a replica set, or run pnpm test:mongo)', () => {
    it('needs MONGODB_URI', () => undefined);
  });
}
