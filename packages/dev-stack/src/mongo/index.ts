/**
 * Test tooling for the MongoDB adapters. Import it as '@oms/dev-stack/mongo': it is left out of
 * the package index so that SQLite-only runs never load mongoose.
 */
export type { Capability } from './capabilities';
export { FULL_SERVER, mongoTestServer, type MongoTestServer, type ServerTraits, type TestFn } from './test-server';
