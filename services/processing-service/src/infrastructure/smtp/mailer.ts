import { randomUUID } from 'node:crypto';
import type { MailSender, OutgoingMail } from '../../application/mail';
import { addressOf, composeRaw } from './mime';
import { journalLine } from './send-journal';
import type { SmtpPool } from './smtp-pool';

/** Builds the MIME message here (see mime.ts) and hands it with its envelope to the SMTP pool. */
export class SmtpMailer implements MailSender {
  private readonly envelopeFrom: string;
  private readonly idDomain: string;

  constructor(
    private readonly pool: SmtpPool,
    private readonly from: string,
  ) {
    this.envelopeFrom = addressOf(from);
    this.idDomain = this.envelopeFrom.split('@')[1] ?? 'localhost';
  }

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const messageId = mail.messageId ?? `<${randomUUID()}@${this.idDomain}>`;
    const record = mail.journalId === undefined ? undefined : journalLine(mail.journalId, messageId);
    await this.pool.send(
      { from: this.envelopeFrom, to: [mail.to] },
      composeRaw({ ...mail, from: this.from, messageId, date: new Date() }),
      record,
    );
    return { messageId };
  }
}
