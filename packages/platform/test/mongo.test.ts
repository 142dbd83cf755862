import mongoose from 'mongoose';
import { isDuplicateKey, MongoSetupError, transactionSupportProblem } from '../src/mongo';

// The pure parts of the MongoDB setup; connecting needs a real server (the stores' contract suites).

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
  const e11000 = (keyPattern: object) =>
    new mongoose.mongo.MongoServerError({ message: 'E11000 duplicate key error', code: 11000, keyPattern });

  it('recognises E11000 on the named key only', () => {
    expect(isDuplicateKey(e11000({ email: 1 }), 'email')).toBe(true);
    expect(isDuplicateKey(e11000({ userId: 1, idempotencyKey: 1 }), 'idempotencyKey')).toBe(true);
    expect(isDuplicateKey(e11000({ _id: 1 }), 'email')).toBe(false);
    expect(isDuplicateKey(e11000({ _id: 1 }))).toBe(true);
  });

  it('ignores other errors', () => {
    expect(isDuplicateKey(new mongoose.mongo.MongoServerError({ message: 'other', code: 112 }), 'email')).toBe(false);
    expect(isDuplicateKey(new Error('E11000'), 'email')).toBe(false);
    expect(isDuplicateKey({ code: 11000, keyPattern: { email: 1 } }, 'email')).toBe(false);
  });
});
