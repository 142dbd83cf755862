import Fastify, { type FastifyInstance } from 'fastify';
import securityHeaders from '../plugins/security-headers';
import dashboard from './plugin';

const open: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((app) => app.close()));
});

/** A real listening server; fetch() gives the same view of headers a browser gets. */
async function build(withHelmet: boolean) {
  const app = Fastify();
  open.push(app);
  if (withHelmet) await app.register(securityHeaders, { production: true });
  await app.register(dashboard);
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const get = (url: string, headers: Record<string, string> = {}) => fetch(base + url, { headers });
  return { get };
}

describe('dashboard plugin', () => {
  it('serves the page at /admin and /admin/ and its assets with their content types', async () => {
    const { get } = await build(false);
    for (const [url, type] of [
      ['/admin', 'text/html'],
      ['/admin/', 'text/html'],
      ['/admin/app.js', 'javascript'],
      ['/admin/app.css', 'text/css'],
    ] as const) {
      const res = await get(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain(type);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('etag')).toBeTruthy();
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    }
    expect((await get('/admin/nope.js')).status).toBe(404);
    expect((await get('/admin/%2e%2e/plugin.ts')).status).toBe(404);
    expect((await get('/admin/constructor')).status).toBe(404);
  });

  it('serves every module the entry module imports, transitively, as JavaScript', async () => {
    const { get } = await build(false);
    const seen = new Set<string>();
    const pending = ['app.js'];
    while (pending.length > 0) {
      const file = pending.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const res = await get(`/admin/${file}`);
      expect([file, res.status, res.headers.get('content-type')]).toEqual([file, 200, 'text/javascript; charset=utf-8']);
      // The page's modules import one another by relative path only (no bare specifiers: no bundler).
      const source = await res.text();
      for (const [, name] of source.matchAll(/^import [^;]*? from '\.\/([\w-]+\.js)';$/gm)) pending.push(name!);
      expect(source).not.toMatch(/^import [^;]*? from '(?!\.\/)/m);
    }
    expect(seen.size).toBeGreaterThan(5);
  });

  it('answers a revalidation with 304', async () => {
    const { get } = await build(false);
    const first = await get('/admin/app.js');
    const again = await get('/admin/app.js', { 'if-none-match': String(first.headers.get('etag')) });
    expect(again.status).toBe(304);
  });

  it('keeps the app-wide CSP when the security headers are registered', async () => {
    const { get } = await build(true);
    const res = await get('/admin/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
  });

  it('has no inline script or style, so a strict CSP cannot break it', async () => {
    const { get } = await build(false);
    const html = await (await get('/admin/')).text();
    expect(html).toMatch(/<script type="module" src="\/admin\/app\.js"><\/script>/);
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
  });
});
