/**
 * Import boundaries of the workspace, checked by `pnpm lint:deps` (part of `pnpm lint`).
 *
 * Layers of a service (services/<svc>/src/):
 *   domain/          pure: nothing else of the service, no I/O library, no workspace package but @oms/contracts
 *   application/     domain only (+ @oms/contracts and @oms/platform's light core)
 *   infrastructure/  application + domain (it implements their ports) + packages; not http/ nor main.ts
 *   http/            application + domain (+ @oms/platform's http helpers); not infrastructure/ nor main.ts
 *   main.ts          composition root: anything of its own service
 * Tests (test/**, *.test.ts) are exempt from the layer rules: they may import anything of their own package.
 *
 * Packages: each workspace package is imported only through its package name and what its package.json
 * `exports` (or, while it has none, `main`) names; never through a relative path into another package's
 * folder. Services never import each other; a package never imports a service, except the test tooling
 * (packages/loadgen, packages/system-tests, packages/loadtest), and then only a service's public entry points.
 */
const fs = require('node:fs');
const path = require('node:path');

const SERVICE = '^services/([^/]+)/src/';
const TESTS = '(^|/)test/|\\.(test|spec)\\.ts$';
const TEST_TOOLING = ['loadgen', 'system-tests', 'loadtest'];
/** npm modules that do I/O: they belong in infrastructure/ (and fastify in http/). */
const nodeModule = (names) => `(^|/)node_modules/(@types/)?(${names.join('|')})(/|$)`;
const DRIVERS = ['mongoose', 'mongodb', '@aws-sdk/[^/]+', 'better-sqlite3', 'nodemailer', 'sqs-consumer', 'node-cron', 'smtp-server'];
const WEB = ['fastify', '@fastify/[^/]+', 'fastify-plugin', 'fastify-type-provider-zod'];

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every file a package.json offers to other packages: the string leaves of `exports`, else `main`. */
function entryPoints(dir) {
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const targets = [];
  const walk = (node) => {
    if (typeof node === 'string') targets.push(node);
    else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') Object.values(node).forEach(walk);
  };
  walk(pkg.exports ?? pkg.main ?? 'index.js');
  const patterns = targets
    .filter((t) => t.startsWith('./') || !t.startsWith('.'))
    .map((t) => `^${escape(path.posix.join(dir, t))}$`.replace('\\*', '.+'));
  return { name: pkg.name, patterns };
}

const workspaceDirs = ['packages', 'services'].flatMap((root) =>
  fs
    .readdirSync(path.join(__dirname, root), { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(__dirname, root, d.name, 'package.json')))
    .map((d) => `${root}/${d.name}`),
);

const layer = (name, comment, from, to) => ({
  name,
  comment,
  severity: 'error',
  from: { path: `${SERVICE}${from}/`, pathNot: TESTS },
  to,
});

module.exports = {
  forbidden: [
    layer('domain-is-pure', 'domain/ imports nothing else of its service (no application/, infrastructure/, http/, config)', 'domain', {
      path: '^services/$1/src/',
      pathNot: '^services/$1/src/domain/',
    }),
    layer('domain-no-io', 'domain/ uses no web framework, database, queue or mail library', 'domain', {
      path: nodeModule([...DRIVERS, ...WEB]),
    }),
    layer('domain-only-contracts', 'domain/ may use @oms/contracts, no other workspace package', 'domain', {
      path: '^packages/',
      pathNot: '^packages/contracts/',
    }),
    layer('application-only-domain', 'application/ imports domain/ only (no infrastructure/, http/, main.ts, config)', 'application', {
      path: '^services/$1/src/',
      pathNot: '^services/$1/src/(application|domain)/',
    }),
    layer('application-no-io', 'application/ reaches I/O through ports, not through drivers or the web framework', 'application', {
      path: nodeModule([...DRIVERS, ...WEB]),
    }),
    layer(
      'application-only-light-packages',
      'application/ may use @oms/contracts and @oms/platform (and @oms/outbox types)',
      'application',
      {
        path: '^packages/',
        pathNot: '^packages/(contracts|platform|outbox)/',
      },
    ),
    // The ports speak the outbox's types (OutboxStore, NewOutboxMessage: the unit of work writes its messages),
    // so `import type` from @oms/outbox is part of the application's vocabulary; its code is not.
    layer('application-outbox-types-only', 'application/ imports only types from @oms/outbox', 'application', {
      path: '^packages/outbox/',
      dependencyTypesNot: ['type-only'],
    }),
    layer(
      'infrastructure-not-to-http',
      'infrastructure/ implements ports; it does not import http/ or the composition root',
      'infrastructure',
      {
        path: '^services/$1/src/(http/|main\\.ts$)',
      },
    ),
    layer(
      'http-not-to-infrastructure',
      'http/ talks to application/ (and domain/), never to infrastructure/ or the composition root',
      'http',
      {
        path: '^services/$1/src/(infrastructure/|main\\.ts$)',
      },
    ),
    layer('http-no-drivers', 'http/ uses no database, queue or mail driver (that is infrastructure/)', 'http', {
      path: nodeModule(DRIVERS),
    }),
    {
      name: 'no-service-to-service',
      comment: 'services never import each other',
      severity: 'error',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/', pathNot: '^services/$1/' },
    },
    {
      name: 'package-not-to-service',
      comment: `a package never imports a service (test tooling ${TEST_TOOLING.join(', ')} may, through the public entry points)`,
      severity: 'error',
      from: { path: '^packages/', pathNot: `^packages/(${TEST_TOOLING.join('|')})/` },
      to: { path: '^services/' },
    },
    {
      name: 'no-relative-import-across-packages',
      comment: 'another workspace package is imported by its name (@oms/...), never by a relative path into its folder',
      severity: 'error',
      from: { path: '^(packages|services)/([^/]+)/' },
      to: { dependencyTypes: ['local'], path: '^(packages|services)/', pathNot: '^$1/$2/' },
    },
    // One rule per workspace package, generated from its package.json: imports from outside the package
    // land only on the files its `exports` (or `main`) names, so `@oms/x/src/...` deep imports fail here.
    ...workspaceDirs.map((dir) => {
      const { name, patterns } = entryPoints(dir);
      return {
        name: 'only-via-package-exports',
        comment: `${name} is imported only through its package.json exports: ${patterns.join(', ')}`,
        severity: 'error',
        from: { pathNot: `^${escape(dir)}/` },
        to: { path: `^${escape(dir)}/`, pathNot: patterns },
      };
    }),
    {
      name: 'not-to-unresolvable',
      comment: 'an import that resolves to no file: a typo, or a subpath the package does not export',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: '(^|/)node_modules/' },
    exclude: { path: '/dashboard/public/' },
    tsConfig: { fileName: 'tsconfig.json' },
    // type-only imports cross boundaries too
    tsPreCompilationDeps: true,
    // honour package.json `exports`, so a subpath a package does not export is unresolvable
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['types', 'import', 'require', 'node', 'default'],
      mainFields: ['types', 'main'],
    },
    cache: { folder: 'node_modules/.cache/dependency-cruiser', strategy: 'content' },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
