import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { ConfigSchema } from '../../../src/config';
import { openStore } from '../../../src/infrastructure/open-store';
import { openSqliteProcessingStore } from '../../../src/infrastructure/sqlite';
import { describeProcessingStoreContract } from '../processing-store.contract';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'processing-store-'));
let n = 0;
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describeProcessingStoreContract('sqlite', () => openSqliteProcessingStore(path.join(dir, `store-${++n}.sqlite`)));

it('commits with synchronous=FULL (a recorded email send survives power loss) unless SQLITE_SYNCHRONOUS=NORMAL', async () => {
  const synchronousOf = async (env: Record<string, string>) => {
    const store = await openStore(ConfigSchema.parse({ SQLITE_PATH: path.join(dir, `sync-${++n}.sqlite`), ...env }));
    // The adapter's own connection: the setting is per connection, so another one would not tell.
    const value = (store as unknown as { db: Database.Database }).db.pragma('synchronous', { simple: true });
    await store.close();
    return value;
  };
  expect(await synchronousOf({})).toBe(2); // FULL
  expect(await synchronousOf({ SQLITE_SYNCHRONOUS: 'NORMAL' })).toBe(1);
});
