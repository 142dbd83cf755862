import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import type {} from '@fastify/swagger'; // its types add schema.hide (keeps /admin out of /docs)

/**
 * Used only when the security headers (helmet) have not already set one; helmet's defaults work
 * as well because the page has no inline script or style and talks only to its own origin.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

const PUBLIC = path.join(__dirname, 'public');

/** What the page loads by name: its script modules and its style sheet. */
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

function load(file: string, type: string): Asset {
  const body = readFileSync(path.join(PUBLIC, file));
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  return { body, type, etag };
}

/** index.html at /admin and every module and style sheet of public/ under its own name. */
function loadAll(): Record<string, Asset> {
  const files: Record<string, Asset> = { '': load('index.html', 'text/html; charset=utf-8') };
  for (const file of readdirSync(PUBLIC)) {
    const type = TYPES[path.extname(file)];
    if (type) files[file] = load(file, type);
  }
  return files;
}

/**
 * The admin dashboard at /admin: a page, its ES modules (one per panel) and a style sheet, all
 * small and held in memory (no @fastify/static: its ESM-only content-disposition dependency
 * cannot be loaded by jest, and a flat folder of small files needs no more).
 */
const dashboard: FastifyPluginAsync = async (app) => {
  const files = loadAll();
  // One optional-parameter route matches /admin, /admin/ and the assets whatever the
  // service's ignoreTrailingSlash setting is (two routes would clash when it is on).
  app.get<{ Params: { file?: string } }>('/admin/:file?', { schema: { hide: true } }, async (request, reply) => {
    const asset = Object.hasOwn(files, request.params.file ?? '') ? files[request.params.file ?? ''] : undefined;
    if (!asset) return reply.callNotFound();
    // Unhashed file names: always revalidate; the ETag makes that a cheap 304.
    reply.header('cache-control', 'no-cache').header('etag', asset.etag);
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', CSP);
    if (request.headers['if-none-match']?.split(/,\s*/).includes(asset.etag)) return reply.code(304).send();
    return reply.type(asset.type).send(asset.body);
  });
};

export default dashboard;
