/**
 * What a test needs to know about the MongoDB it runs against: MONGODB_URI, and what that server
 * lacks as probed once by `pnpm test:mongo` (capabilities.ts). Without the lane's probe result
 * (MONGODB_URI set by hand) the server is taken to be a real replica set and everything runs.
 */
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { LACKS_ENV, type Capability, type Lacks } from './capabilities';
import { installFindAndModifyShim } from './find-and-modify-shim';

export type TestFn = (title: string, fn: jest.ProvidesCallback, timeout?: number) => void;

/** The marker the lane reads back from skipped tests' titles to report why they were skipped. */
export const skipMarker = (caps: Capability[]) => `[skipped: needs ${caps.join(', ')}]`;

export interface ServerTraits {
  /** `it` when the server has all of these, otherwise a skip whose title says what was missing. */
  needs(...caps: Capability[]): TestFn;
}

/** SQLite and real replica sets: every test runs. */
export const FULL_SERVER: ServerTraits = { needs: () => it };

export interface MongoTestServer extends ServerTraits {
  uri: string;
  /** MONGODB_URI with a database of its own, so a test starts empty. */
  freshDatabaseUri(prefix: string): string;
  /** A test database's name, for connectMongo's dbName. */
  freshDatabaseName(prefix: string): string;
  /** Drops a test database where the server can (a throwaway in-memory server needs no cleanup). */
  dropDatabase(conn: Connection): Promise<void>;
}

export function mongoTestServer(): MongoTestServer | null {
  const uri = process.env.MONGODB_URI;
  if (!uri) return null;
  const lacks = JSON.parse(process.env[LACKS_ENV] ?? '{}') as Lacks;
  if (lacks.findAndModifyRemove) installFindAndModifyShim();
  const freshDatabaseName = (prefix: string) => `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  return {
    uri,
    needs(...caps) {
      const missing = caps.filter((c) => lacks[c] !== undefined);
      if (missing.length === 0) return it;
      return (title, fn, timeout) => it.skip(`${title} ${skipMarker(missing)}`, fn, timeout);
    },
    freshDatabaseName,
    freshDatabaseUri(prefix) {
      const url = new URL(uri);
      url.pathname = `/${freshDatabaseName(prefix)}`;
      return url.toString();
    },
    async dropDatabase(conn) {
      if (!lacks.dropDatabase) await conn.dropDatabase();
    },
  };
}
