import { randomUUID } from 'node:crypto';
import { asciiHtml } from '../../application/mail';

/**
 * Builds the confirmation's MIME message (multipart/alternative: text + HTML) as one string, for
 * nodemailer's `raw` option. nodemailer's own composer builds a MIME tree and quoted-printable
 * encodes both parts for every mail, which was the processing service's largest CPU cost; our
 * HTML goes as 7bit (non-ASCII as character references), the short text part as 7bit when it is
 * ASCII and as base64 otherwise.
 */
export interface RawMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** With the angle brackets: `<id@host>`. */
  messageId: string;
  date: Date;
}

const NEEDS_ENCODED_WORD = /[^\x20-\x7e]/;
const NOT_7BIT_CHAR = /[^\t\n\r\x20-\x7e]/;
const BARE_CR = /\r(?!\n)/;
const MAX_LINE = 998;

/** 7bit: printable ASCII, no bare CR, lines of at most 998 octets (RFC 5322 2.1.1). */
function is7bit(s: string): boolean {
  if (NOT_7BIT_CHAR.test(s) || (s.includes('\r') && BARE_CR.test(s))) return false;
  for (let start = 0; start <= s.length;) {
    const nl = s.indexOf('\n', start);
    const end = nl < 0 ? s.length : nl;
    if (end - start > MAX_LINE + 1) return false; // +1: a CR before the LF
    start = end + 1;
  }
  return true;
}
/** A header value as is when it is printable ASCII, else one RFC 2047 encoded word. */
export function headerText(value: string): string {
  return NEEDS_ENCODED_WORD.test(value) ? `=?UTF-8?B?${Buffer.from(value).toString('base64')}?=` : value;
}

const NAME_ADDR = /^\s*"?([^"<]*?)"?\s*<([^<>\s]+)>\s*$/;

/** The bare address of `Name <addr>` or of a bare address. */
export const addressOf = (value: string): string => NAME_ADDR.exec(value)?.[2] ?? value.replace(/[\r\n]+/g, ' ').trim();

/** `Name <addr>` or a bare address; a non-ASCII display name becomes an encoded word. */
export function headerAddress(value: string): string {
  const m = NAME_ADDR.exec(value);
  if (!m) return addressOf(value);
  const [, name, addr] = m;
  if (!name) return `<${addr}>`;
  return `${NEEDS_ENCODED_WORD.test(name) ? headerText(name) : `"${name.replace(/["\\]/g, '\\$&')}"`} <${addr}>`;
}

function part(contentType: 'text/plain' | 'text/html', content: string): string {
  let body = content;
  let sevenBit = is7bit(body);
  if (!sevenBit && contentType === 'text/html') {
    body = asciiHtml(body);
    sevenBit = is7bit(body);
  }
  if (sevenBit) return `Content-Type: ${contentType}; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n${body}`;
  const b64 = Buffer.from(body).toString('base64').replace(/.{76}/g, '$&\r\n');
  return `Content-Type: ${contentType}; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64}`;
}

/** A random prefix no content can guess, so a boundary never occurs inside a part. */
const BOUNDARY_PREFIX = randomUUID();
let boundaries = 0;

export function composeRaw(mail: RawMail): string {
  const text = part('text/plain', mail.text);
  const html = part('text/html', mail.html);
  const boundary = `=_oms_${BOUNDARY_PREFIX}_${++boundaries}`;
  return [
    `From: ${headerAddress(mail.from)}`,
    `To: ${headerAddress(mail.to)}`,
    `Subject: ${headerText(mail.subject)}`,
    `Message-ID: ${mail.messageId}`,
    `Date: ${mail.date.toUTCString().replace('GMT', '+0000')}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    text,
    `--${boundary}`,
    html,
    `--${boundary}--`,
    '',
  ].join('\r\n');
}
