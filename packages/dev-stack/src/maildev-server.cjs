// Runs maildev's own CLI (same flags) but survives a client vanishing mid-conversation: maildev 2
// ignores ECONNRESET on read yet rethrows it on write, so a kill -9 of the processing service
// while it sends mail took the whole catcher down (and with it every later email).
'use strict';

const DROPPED_CLIENT = new Set(['ECONNRESET', 'EPIPE']);

process.on('uncaughtException', (err) => {
  if (err && DROPPED_CLIENT.has(err.code)) {
    console.warn(`maildev: ignoring ${err.code} from a client that went away (${err.syscall ?? 'socket'})`);
    return;
  }
  console.error(err);
  process.exit(1);
});

require('maildev/bin/maildev');
