/** One jest run for the whole workspace; each project keeps its tests next to its code. */
const swc = ['@swc/jest', { jsc: { target: 'es2022' } }];
// A few dependencies ship ESM only (cookie@2 via light-my-request and @fastify/cookie,
// content-disposition@3 via @fastify/static, jose@6; parse-json@8, index-to-position@1,
// supports-color@10 and change-case@5 via openapi-typescript): Node 24 require()s them natively, but
// jest's CJS module registry does not, so swc turns them into CommonJS for the tests. Every other
// package under node_modules stays untransformed.
const ESM_ONLY = [
  'cookie@2',
  'content-disposition@3',
  'jose@6',
  'parse-json@8',
  'index-to-position@1',
  'supports-color@10',
  'change-case@5',
];
const transform = { '^.+\\.ts$': swc, '/node_modules/.+\\.js$': swc };
const transformIgnorePatterns = [`/node_modules/\\.pnpm/(?!(?:${ESM_ONLY.join('|')})\\.)`];
const project = (dir, extra = {}) => ({
  displayName: dir,
  rootDir: `<rootDir>/${dir}`,
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/src/**/*.test.ts'],
  transform,
  transformIgnorePatterns,
  testEnvironment: 'node',
  ...extra,
});
module.exports = {
  rootDir: __dirname,
  // CI has 2 cores and the system tests spawn four processes of their own; more workers only thrash.
  maxWorkers: 2,
  // A deadline for liveness, not a timing assertion: suites start real servers (argon2 hashing,
  // SQLite files, whole stacks), which on a loaded 2-core machine takes far longer than jest's 5 s.
  testTimeout: 60_000,
  projects: [
    project('packages/contracts'),
    project('packages/platform'),
    project('packages/outbox'),
    project('packages/dev-stack'),
    project('packages/system-tests'),
    project('packages/loadgen'),
    project('services/order-service'),
    project('services/processing-service'),
  ],
};
