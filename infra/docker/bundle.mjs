// Bundles one service's own code (its src plus the @oms/* workspace packages, which ship as
// TypeScript) into <out-dir>/main.js. Every npm package stays an ordinary require(), resolved at
// run time from the node_modules that `pnpm deploy --prod` installs next to the bundle: native
// addons (argon2, better-sqlite3), packages that read their own files (mailgen themes, swagger-ui
// assets) and packages that use import.meta (node-cron) then run exactly as published.
// Usage: node infra/docker/bundle.mjs services/order-service dist/order-service
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const [serviceDir, outDir] = process.argv.slice(2);
if (!serviceDir || !outDir) {
  console.error('usage: node infra/docker/bundle.mjs <service-dir> <out-dir>');
  process.exit(2);
}
const pkg = JSON.parse(readFileSync(path.join(serviceDir, 'package.json'), 'utf8'));

const npmPackagesExternal = {
  name: 'npm-packages-external',
  setup(b) {
    // Bare specifiers other than @oms/* (including node: built-ins) are left to Node's resolver.
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@oms/') ? undefined : { path: args.path, external: true }));
  },
};

await build({
  entryPoints: [path.join(serviceDir, pkg.main ?? 'src/main.ts')],
  outfile: path.join(outDir, 'main.js'),
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  sourcemap: true,
  plugins: [npmPackagesExternal],
  logLevel: 'warning',
});
console.log(`bundled ${pkg.name} -> ${path.join(outDir, 'main.js')}`);
