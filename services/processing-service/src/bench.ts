/**
 * What the email-stage bench (packages/loadgen/src/bench/email-stage.ts) runs in-process: the
 * confirmation email, the SMTP mailer and its worker pool, and the config schema their settings
 * come from. The bench measures this service's own code, so it imports it; this file is the whole
 * of that surface ('@oms/processing-service/bench').
 */
export { ConfirmationEmail } from './application/confirmation-email';
export { ConfigSchema } from './config';
export { SmtpMailer } from './infrastructure/smtp/mailer';
export { smtpPoolOptions, WorkerSmtpPool } from './infrastructure/smtp/smtp-pool';
