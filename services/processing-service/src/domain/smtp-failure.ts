/**
 * What a failed send means for the message:
 * - permanent: the server refused this message for good (5xx except 503); retrying gets the same.
 * - transient: this message may go through later (4xx, 503).
 * - unavailable: no server to talk to (refused, timeout, DNS/TLS, 421 closing, bad credentials);
 *   every message would fail the same way, so consumption should pause until it is back.
 */
export type SmtpFailureKind = 'permanent' | 'transient' | 'unavailable';

export interface SmtpErrorLike {
  code?: string | undefined;
  responseCode?: number | undefined;
}

// Credentials problems are ours, not the message's: fixing the config makes the same message pass.
const UNAVAILABLE_CODES = new Set(['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EDNS', 'ETLS', 'EAUTH', 'ENOAUTH', 'EPROXY']);

export function classifySmtpFailure(err: SmtpErrorLike): SmtpFailureKind {
  if (err.code && UNAVAILABLE_CODES.has(err.code)) return 'unavailable';
  const rc = err.responseCode;
  if (rc === 421) return 'unavailable';
  if (rc !== undefined && rc >= 500 && rc < 600 && rc !== 503) return 'permanent';
  return 'transient';
}
