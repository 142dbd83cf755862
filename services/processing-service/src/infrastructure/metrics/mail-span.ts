import { inSpan } from '@oms/platform';
import type { MailSender } from '../../application/mail';

/** A span per send (SMTP runs on a worker thread, out of reach of the instrumentations). */
export function withMailSpan(mailer: MailSender): MailSender {
  return {
    send: (mail) =>
      inSpan('send confirmation email', { kind: 'client', attributes: { 'oms.message_id': mail.messageId ?? '' } }, () =>
        mailer.send(mail),
      ),
  };
}
