/** One jest run for the whole workspace; each project keeps its tests next to its code. */
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] };
const project = (dir, extra = {}) => ({
  displayName: dir,
  rootDir: `<rootDir>/${dir}`,
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/src/**/*.test.ts'],
  transform,
  testEnvironment: 'node',
  ...extra,
});
module.exports = {
  rootDir: __dirname,
  // CI has 2 cores and the system tests spawn four processes of their own; more workers only thrash.
  maxWorkers: 2,
  projects: [
    project('packages/contracts'),
    project('packages/platform'),
    project('packages/outbox'),
    project('packages/dev-stack'),
    project('packages/system-tests'),
    project('services/order-service'),
    project('services/processing-service'),
  ],
};
