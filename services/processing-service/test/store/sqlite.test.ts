import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteProcessingStore } from '../../src/store/sqlite';
import { describeProcessingStoreContract } from './processing-store.contract';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'processing-store-'));
let n = 0;
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describeProcessingStoreContract('sqlite', () => openSqliteProcessingStore(path.join(dir, `store-${++n}.sqlite`)));
