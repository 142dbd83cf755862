/**
 * Raw HTTP for hostile tests. fetch normalises what an attacker would not: it resolves `..` in
 * paths, refuses some header values and bodies on GET. node:http sends the path and headers as
 * given, and can pick the local address so one test can play several client IPs (127.0.0.x).
 */
import http from 'node:http';

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Source address, e.g. 127.0.0.7 (the whole 127/8 block is loopback on Linux). */
  localAddress?: string;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** Parsed body when it is JSON of any flavour, else undefined. */
  json: any;
}

export function rawRequest(base: URL, req: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body);
    const headers: Record<string, string | number> = { ...req.headers };
    if (body) headers['content-length'] = body.length;
    const r = http.request(
      {
        host: base.hostname,
        port: base.port,
        method: req.method ?? 'GET',
        path: req.path,
        headers,
        localAddress: req.localAddress,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: any;
          if (/json/.test(res.headers['content-type'] ?? '')) {
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.end(body);
  });
}

/** What every refused request must look like: a 4xx RFC 9457 problem whose status matches. */
export function problemViolation(res: RawResponse): string | null {
  if (res.status < 400 || res.status > 499) return `status ${res.status}`;
  if (!/^application\/problem\+json/.test(String(res.headers['content-type']))) return `content-type ${res.headers['content-type']}`;
  const p = res.json as Record<string, unknown> | undefined;
  if (!p || p.status !== res.status || typeof p.code !== 'string' || typeof p.title !== 'string' || typeof p.type !== 'string') {
    return `body ${res.text.slice(0, 200)}`;
  }
  if (/\bat .+\.(ts|js):\d+/.test(res.text)) return 'stack trace in body';
  return null;
}
