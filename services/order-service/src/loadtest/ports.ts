import type { LoadRunDto } from '@oms/contracts';
import type { NewOutboxMessage } from '@oms/outbox';
import type { OrderServiceStore } from '../application/ports';
import type { Order } from '../domain/order';

/** A load run as kept in the history (the status as it was last saved). */
export interface LoadRunRecord {
  id: string;
  startedAt: Date;
  run: LoadRunDto;
}

/** The store side of load runs: the bulk write path, the wipe, the history. */
export interface LoadTestStore {
  /**
   * Inserts orders and their outbox rows in ONE transaction (callers pass chunks of a few thousand).
   * No stock is touched: bulk orders are a generation fixture; the api mode of the
   * load generator goes through placeOrder and its stock checks.
   */
  bulkInsertOrders(orders: Order[], outbox: NewOutboxMessage[]): Promise<void>;
  /** Deletes every order of users whose email ends with `@<domain>`, with their outbox rows; returns how many orders. */
  purgeOrdersOfEmailDomain(domain: string): Promise<number>;
  /** Inserts or replaces by id. */
  saveLoadRun(record: LoadRunRecord): Promise<void>;
  /** Newest first. */
  listLoadRuns(limit: number): Promise<LoadRunRecord[]>;
}

/** A store adapter that also carries the load-run side (both adapters do; the production use cases never see it). */
export type LoadTestableStore = OrderServiceStore & { readonly loadTest: LoadTestStore };
