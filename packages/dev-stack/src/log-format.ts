/**
 * Turns the children's output into one readable stream: a `[part]` prefix per line and pino JSON
 * lines folded into `time LEVEL msg key=value…`. Anything that is not pino JSON passes through.
 */
/** A service's first replica is `order` / `processing`; further ones are numbered from 2. */
export type PartName = 'sqs' | 'mail' | 'order' | 'processing' | `order-${number}` | `processing-${number}`;
type BasePart = 'sqs' | 'mail' | 'order' | 'processing';

/** Receives every output line of every child, already split, without the trailing newline. */
export type LogSink = (part: PartName, line: string) => void;

const ansi = (code: number) => (s: string) => `\u001b[${code}m${s}\u001b[0m`;
const plain = (s: string) => s;
const gray = ansi(90);
const partColor: Record<BasePart, (s: string) => string> = {
  order: ansi(36),
  processing: ansi(35),
  sqs: ansi(33),
  mail: ansi(32),
};
const levels: Record<number, [string, (s: string) => string]> = {
  10: ['TRACE', gray],
  20: ['DEBUG', gray],
  30: ['INFO ', ansi(32)],
  40: ['WARN ', ansi(33)],
  50: ['ERROR', ansi(31)],
  60: ['FATAL', ansi(41)],
};
/** Pino's boilerplate plus the fields rendered specially below. */
const hidden = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'service', 'v', 'req', 'res', 'err', 'responseTime']);
const MAX_FIELDS = 8;
const MAX_VALUE = 80;

const PAD = Math.max(...Object.keys(partColor).map((p) => p.length)) + 2;

function value(v: unknown): string {
  const s = typeof v === 'string' ? (/\s/.test(v) ? JSON.stringify(v) : v) : JSON.stringify(v);
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 1)}…` : s;
}

function pinoLine(rec: Record<string, unknown>, color: boolean): string | null {
  if (typeof rec.level !== 'number') return null;
  const [name, paint] = levels[rec.level] ?? [String(rec.level), plain];
  const time = typeof rec.time === 'number' ? new Date(rec.time).toISOString().slice(11, 23) : '';
  const parts = [
    color ? gray(time) : time,
    color ? paint(name) : name,
    typeof rec.msg === 'string' ? rec.msg : (JSON.stringify(rec.msg) ?? ''),
  ];
  const req = rec.req as { method?: string; url?: string } | undefined;
  if (req?.method) parts.push(`${req.method} ${req.url ?? ''}`);
  const res = rec.res as { statusCode?: number } | undefined;
  if (res?.statusCode !== undefined) parts.push(String(res.statusCode));
  if (typeof rec.responseTime === 'number') parts.push(`${rec.responseTime.toFixed(1)}ms`);
  const fields = Object.entries(rec).filter(([k]) => !hidden.has(k));
  for (const [k, v] of fields.slice(0, MAX_FIELDS)) parts.push(`${color ? gray(`${k}=`) : `${k}=`}${value(v)}`);
  const err = rec.err as { type?: string; message?: string; stack?: string } | undefined;
  let line = parts.filter(Boolean).join(' ');
  if (err) line += `\n${err.stack ?? `${err.type ?? 'Error'}: ${err.message ?? ''}`}`;
  return line;
}

/** One output line of a child as shown in the combined stream (may span lines for stack traces). */
export function formatLine(part: PartName, line: string, color = false): string {
  let body = line;
  if (line.startsWith('{')) {
    try {
      body = pinoLine(JSON.parse(line) as Record<string, unknown>, color) ?? line;
    } catch {
      // Not JSON after all: show it as is.
    }
  }
  const label = `[${part}]`.padEnd(PAD);
  const prefix = color ? partColor[part.replace(/-\d+$/, '') as BasePart](label) : label;
  return body
    .split('\n')
    .map((l) => `${prefix} ${l}`)
    .join('\n');
}

/** A sink writing formatted lines to a stream, colored when it is a terminal (and NO_COLOR is unset). */
export function streamSink(stream: NodeJS.WriteStream = process.stdout): LogSink {
  const color = Boolean(stream.isTTY) && !process.env.NO_COLOR;
  return (part, line) => {
    stream.write(`${formatLine(part, line, color)}\n`);
  };
}
