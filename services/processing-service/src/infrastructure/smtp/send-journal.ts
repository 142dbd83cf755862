import fs from 'node:fs';

/**
 * The send journal: the SMTP thread appends `eventId<TAB>messageId<TAB>epochMs` for each mail the
 * server accepted, right in the callback of its 250 (smtp-worker.cjs). The inbox records the same
 * send a little later, after the reply has crossed to the main thread, waited its turn in the event
 * loop and been group-committed; a kill -9 in between used to mean a second email after restart.
 * At start, before any message is taken, the lines are copied into the inbox (recordEmailSent is
 * a no-op for anything past `processing`) and the files are emptied. While running, the file is
 * rotated every ROTATE_EVERY_MS to `<path>.1`, so at most two rotations of sends are kept.
 *
 * The write itself survives a killed process (the line is in the kernel once write returns); the
 * thread then fdatasyncs the file in groups off its event loop, so a power loss keeps the line too,
 * one sync later (~9 ms here). With several replicas sharing MongoDB each keeps its own journal,
 * which covers its own restarts.
 *
 * What no journal can cover: a mail whose final dot reached the server but whose 250 the process
 * never read (the server still answering, or the reply not yet read off the socket). Redelivery
 * sends it again, with the same Message-ID.
 */
export const ROTATE_EVERY_MS = 60_000;

export interface JournaledSend {
  eventId: string;
  messageId: string;
  at: Date;
}

export const journalLine = (eventId: string, messageId: string): string => `${eventId}\t${messageId}`;

const files = (journalPath: string) => [`${journalPath}.1`, journalPath];

/** Every complete line of both files; a line cut short by the crash is skipped. */
export function readSendJournal(journalPath: string): JournaledSend[] {
  const sends: JournaledSend[] = [];
  for (const file of files(journalPath)) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    for (const line of text.split('\n')) {
      const [eventId, messageId, ms] = line.split('\t');
      if (eventId && messageId && ms && /^\d+$/.test(ms)) sends.push({ eventId, messageId, at: new Date(Number(ms)) });
    }
  }
  return sends;
}

export function clearSendJournal(journalPath: string): void {
  for (const file of files(journalPath)) fs.rmSync(file, { force: true });
}

/** Copies the journal into the inbox, then empties it. Call before the consumer takes messages. */
export async function reconcileSendJournal(
  journalPath: string,
  recordEmailSent: (eventId: string, messageId: string, at: Date) => Promise<void>,
): Promise<number> {
  const sends = readSendJournal(journalPath);
  // Concurrent calls share group commits; chunks keep the number of pending writes bounded.
  for (let i = 0; i < sends.length; i += 500) {
    await Promise.all(sends.slice(i, i + 500).map((s) => recordEmailSent(s.eventId, s.messageId, s.at)));
  }
  clearSendJournal(journalPath);
  return sends.length;
}
