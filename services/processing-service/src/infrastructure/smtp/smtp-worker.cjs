// The SMTP connection pool's thread (see smtp-pool.ts): nodemailer's pool with the options it was
// started with. Plain JavaScript, so it runs the same under tsx, jest and the Docker bundle.
const fs = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const nodemailer = require('nodemailer');
const { createHeldEndings } = require('./held-endings.cjs');

const transport = nodemailer.createTransport(workerData.options);

// At most `unconfirmedMax` mails past their final dot and not yet journaled (held-endings.cjs).
const heldEndings = workerData.unconfirmedMax ? createHeldEndings(workerData.unconfirmedMax) : null;
heldEndings?.install(transport);

// The send journal (see send-journal.ts): one line per accepted mail, written with a plain
// write(2) in the callback of the server's 250 (nodemailer calls it synchronously from the socket
// read that brought the reply), before the reply is even posted to the main thread. Once write
// returns the line is in the kernel's page cache, so a killed process keeps it.
// For a power loss the lines are then fdatasync'ed in groups on libuv's thread pool: one sync in
// flight at a time, the next one covering every line written meanwhile. Here an fdatasync takes
// ~9 ms; one per mail on this thread would cap the pool near 110 mails/s and hold every other
// connection's reply behind it, widening the very window the journal closes.
const journalPath = workerData.journalPath;
let journal = journalPath ? fs.openSync(journalPath, 'a') : null;
let syncing = false;
let unsynced = false;

function syncJournal() {
  if (syncing || !unsynced || journal === null) return;
  syncing = true;
  unsynced = false;
  // A rotation or close meanwhile syncs that fd itself first; an error here (EBADF) is then moot.
  fs.fdatasync(journal, () => {
    syncing = false;
    syncJournal();
  });
}

function journalSend(record) {
  fs.writeSync(journal, `${record}\t${Date.now()}\n`);
  unsynced = true;
  syncJournal();
}

function closeJournal() {
  fs.fdatasyncSync(journal);
  fs.closeSync(journal);
  unsynced = false;
}

/** nodemailer's error fields that say what went wrong (see domain/smtp-failure.ts). */
const describe = (err) => ({
  message: String(err?.message ?? err),
  code: typeof err?.code === 'string' ? err.code : undefined,
  responseCode: typeof err?.responseCode === 'number' ? err.responseCode : undefined,
  response: typeof err?.response === 'string' ? err.response : undefined,
});

function rotate() {
  closeJournal();
  fs.renameSync(journalPath, `${journalPath}.1`);
  journal = fs.openSync(journalPath, 'a');
}

parentPort.on('message', (msg) => {
  if (msg.type === 'close') {
    transport.close();
    if (journal !== null) closeJournal();
    parentPort.close();
    return;
  }
  if (msg.type === 'rotate') {
    try {
      if (journal !== null) rotate();
      parentPort.postMessage({ id: msg.id });
    } catch (err) {
      parentPort.postMessage({ id: msg.id, error: describe(err) });
    }
    return;
  }
  if (msg.type === 'verify') {
    transport.verify().then(
      () => parentPort.postMessage({ id: msg.id }),
      (err) => parentPort.postMessage({ id: msg.id, error: describe(err) }),
    );
    return;
  }
  const hold = heldEndings?.hold();
  transport.sendMail({ envelope: msg.envelope, raw: msg.raw, endingHold: hold }).then(
    () => {
      if (msg.record && journal !== null) journalSend(msg.record);
      hold?.release(); // after the journal line: the mail is no longer a possible duplicate
      parentPort.postMessage({ id: msg.id });
    },
    (err) => {
      hold?.release();
      parentPort.postMessage({ id: msg.id, error: describe(err) });
    },
  );
});
