/**
 * The container deployment cannot run here (no Docker engine), so its files are checked with the
 * tools that know them: docker-compose.yml with dclint (Compose schema + lint rules), the proxy's
 * nginx.conf with nginx itself (`nginx -t`) where an nginx binary is installed.
 */
import { spawnSync } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '@oms/dev-stack';

const COMPOSE = path.join(REPO_ROOT, 'docker-compose.yml');
const NGINX_CONF = path.join(REPO_ROOT, 'infra/nginx/nginx.conf');
const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/bin/nginx', '/opt/homebrew/bin/nginx'].find((p) => fs.existsSync(p));

it('docker-compose.yml passes dclint with no errors (schema, and every published port bound to an interface)', () => {
  const dclint = path.join(path.dirname(require.resolve('dclint/package.json')), 'bin/dclint.cjs');
  // Colour codes (dclint colours its summary when CI=true) would split "(0 errors, ...)".
  const run = spawnSync(process.execPath, [dclint, COMPOSE], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  expect(stripVTControlCharacters(run.stdout + run.stderr)).toMatch(/\(0 errors, \d+ warnings?\)|^\s*$/);
  expect(run.status).toBe(0);
});

it('publishes the order API only through the proxy, which names the services and ports the compose file runs', () => {
  const compose = fs.readFileSync(COMPOSE, 'utf8');
  const conf = fs.readFileSync(NGINX_CONF, 'utf8');
  const targets = [...conf.matchAll(/http:\/\/([a-z-]+):(\d+)/g)].map((m) => [m[1]!, m[2]!]);
  expect(targets).toEqual([
    ['order-service', '8000'],
    ['processing-service', '8001'],
  ]);
  for (const [service, port] of targets) {
    const block = new RegExp(`\\n  ${service}:\\n[\\s\\S]*?(?=\\n  [a-z-]+:\\n|\\nvolumes:)`).exec(compose)?.[0] ?? '';
    expect(block).toContain(`PORT: ${port}`);
    expect(block).toMatch(/deploy:\n\s+replicas:/);
    expect(block).not.toMatch(/\n    ports:/);
  }
  expect(compose).toMatch(/\n  proxy:\n[\s\S]*"127\.0\.0\.1:8000:8000"/);
});

(NGINX ? it : it.skip)(
  `nginx -t accepts infra/nginx/nginx.conf${NGINX ? '' : ' (SKIPPED: no nginx binary here; `pnpm setup:system` installs it)'}`,
  () => {
    const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'oms-nginx-'));
    try {
      // Output to a file: the config logs to /dev/stderr, which cannot be opened when it is a socket (node's pipes).
      const out = path.join(prefix, 'out.log');
      const fd = fs.openSync(out, 'w');
      const run = spawnSync(NGINX!, ['-t', '-q', '-c', NGINX_CONF, '-p', prefix, '-e', path.join(prefix, 'error.log')], {
        stdio: ['ignore', fd, fd],
      });
      fs.closeSync(fd);
      expect(fs.readFileSync(out, 'utf8')).toBe('');
      expect(run.status).toBe(0);
    } finally {
      fs.rmSync(prefix, { recursive: true, force: true });
    }
  },
);
if (!NGINX) console.warn('deployment-config: no nginx binary found; the nginx -t check is skipped (`pnpm setup:system` installs nginx)');
