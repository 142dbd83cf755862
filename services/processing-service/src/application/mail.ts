/**
 * Non-ASCII characters as numeric character references (₹ -> &#8377;): the same HTML page, in
 * ASCII, so it can travel as 7bit without a per-mail encoding pass (infrastructure/smtp/mime.ts).
 */
export const asciiHtml = (html: string): string => html.replace(/[^\x00-\x7f]/gu, (c) => `&#${c.codePointAt(0)};`);

/** What the use case hands to the mail transport; the adapter lives in infrastructure/smtp/mailer.ts. */
export interface OutgoingMail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /**
   * The Message-ID header. Derived from the event id, so a resend after a crash in the
   * duplicate-email window carries the same id, and mail systems that dedupe on it show one mail.
   */
  messageId?: string;
  /**
   * The inbox event id: the send is journaled under it the moment the SMTP server accepts the
   * mail, so a crash before the inbox records the send does not send it again after restart.
   */
  journalId?: string;
}

/**
 * Sends one mail and returns the SMTP message id. Failures are thrown with nodemailer's
 * `code` / `responseCode` fields so that domain/smtp-failure can classify them.
 */
export interface MailSender {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}
