/**
 * What the store-query bench (packages/loadgen/src/bench/store-queries.ts) runs in-process: the
 * bulk order generator and the SQLite store. The bench measures this service's own code, so it
 * imports it; this file is the whole of that surface ('@oms/order-service/bench').
 */
export { BulkOrderFactory } from './loadtest/bulk-orders';
export { BULK_CHUNK } from './loadtest/load-runs';
export { openSqliteOrderStore } from './infrastructure/sqlite';
