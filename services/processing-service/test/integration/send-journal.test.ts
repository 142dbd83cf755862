/**
 * The duplicate-email window after a crash: the SMTP server accepted a mail, the process died
 * before the inbox recorded the send. The send journal (written by the SMTP thread at the 250)
 * is copied into the inbox at the next start, so the redelivered message is not mailed again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteProcessingStore } from '../../src/infrastructure/sqlite';
import { journalLine } from '../../src/infrastructure/smtp/send-journal';
import { createHarness, type Harness } from '../support/harness';
import { eventually, startInfra, type Infra } from '../support/infra';
import { orderPlaced } from '../support/orders';

jest.setTimeout(60_000);

let infra: Infra;
let harness: Harness | null = null;
let dir: string;
beforeAll(async () => {
  infra = await startInfra();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'send-journal-it-'));
});
afterAll(async () => {
  await harness?.stop();
  await infra?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('does not mail again an order whose send was journaled but not recorded before a crash', async () => {
  const sqlitePath = path.join(dir, 'processing.sqlite');
  const journalPath = path.join(dir, 'processing.sends');
  const journaled = orderPlaced();
  const fresh = orderPlaced();

  // The state a kill -9 inside the window leaves: inbox `processing`, and the journal line the
  // SMTP thread wrote when the server said 250.
  const before = await openSqliteProcessingStore(sqlitePath);
  await before.beginProcessing({
    eventId: journaled.id,
    orderId: journaled.data.orderId,
    priority: 'NORMAL',
    receivedAt: new Date(),
    note: null,
  });
  await before.close();
  fs.writeFileSync(journalPath, `${journalLine(journaled.id, `<${journaled.id}@processing-service>`)}\t${Date.now()}\n`);

  harness = await createHarness(infra.stack.urls.sqs, {
    SMTP_PORT: String(infra.stack.ports.smtp),
    SQLITE_PATH: sqlitePath,
    SEND_JOURNAL_PATH: journalPath,
    PROCESSING_STATUS_AFTER_MS: '10000',
  });
  const h = harness;
  expect(await h.service.store.getInbox(journaled.id)).toMatchObject({
    state: 'emailed',
    emailMessageId: `<${journaled.id}@processing-service>`,
  });
  await h.start();
  // The queue redelivers the message (its first receive was never deleted), next to a new order.
  await h.send(h.queues.orders, JSON.stringify(journaled));
  await h.send(h.queues.orders, JSON.stringify(fresh));

  await eventually(async () => ((await h.service.store.getInbox(journaled.id))?.state === 'done' ? true : undefined));
  await eventually(async () => ((await h.service.store.getInbox(fresh.id))?.state === 'done' ? true : undefined));
  const subjects = (await infra.emails()).map((m) => m.subject);
  expect(subjects.filter((s) => s.includes(fresh.data.orderId))).toHaveLength(1); // control: mail flows
  expect(subjects.filter((s) => s.includes(journaled.data.orderId))).toHaveLength(0);
  const statuses = (
    await eventually(async () => {
      const events = (await h.statusEvents()).filter((e) => e.data.orderId === journaled.data.orderId);
      return events.length ? events : undefined;
    })
  ).map((e) => e.data.status);
  expect(statuses).toEqual(['PROCESSED']);
});
