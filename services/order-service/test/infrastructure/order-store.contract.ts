/**
 * The storage contract every OrderServiceStore adapter must pass (SQLite always, MongoDB when
 * MONGODB_URI is set). `open` must return a store over an EMPTY database each time.
 *
 * Semantics pinned here (both adapters must agree):
 * - lists are newest first, ordered by (createdAt desc, id desc); `next` is null exactly when no rows follow;
 * - consumeRefreshToken: unknown or revoked -> null; else already used -> { reused: true } (nothing
 *   changes); else expired -> null; otherwise marks it used -> { reused: false };
 * - the outbox's own rules are pinned once, in packages/outbox/test/outbox.contract.ts; here only that
 *   the order's transactions write it and that the store serves it to the relay;
 * - searchOrders: `from` inclusive, `to` exclusive; q = case-insensitive substring of a product name or
 *   sku or the user name, or (all digits) the exact total in minor units;
 * - placeOrder: when compose throws, the error propagates and nothing is written.
 */
import { randomUUID } from 'node:crypto';
import { FULL_SERVER, type ServerTraits } from '@oms/dev-stack/mongo';
import type { NewOutboxMessage } from '@oms/outbox';
import { DuplicateKeyError } from '../../src/application/shared/errors';
import type { Order } from '../../src/domain/order';
import type { OrderServiceStore } from '../../src/application/ports';
import type { PlaceOrderRequest } from '../../src/application/orders/ports';
import type { Product } from '../../src/domain/product';
import type { User } from '../../src/domain/user';

const T0 = new Date('2025-01-01T00:00:00.000Z').getTime();
const at = (ms: number) => new Date(T0 + ms);
const uid = () => randomUUID();
/** Letters only, so fixture names never match the digit searches (amounts) by accident. */
const tag = () =>
  uid()
    .slice(0, 8)
    .replace(/[0-9]/g, (d) => 'ghijklmnop'[Number(d)]!);

export function makeUser(over: Partial<User> = {}): User {
  const id = uid();
  return {
    id,
    username: `user_${tag()}`,
    email: `${id}@example.test`,
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$aGFzaA',
    role: 'customer',
    tier: 'BRONZE',
    createdAt: at(0),
    ...over,
  };
}

export function makeProduct(over: Partial<Product> = {}): Product {
  const name = tag();
  return {
    id: uid(),
    sku: `SKU-${name}`,
    name: `Product ${name}`,
    priceCents: 1000,
    currency: 'INR',
    stock: 10,
    createdAt: at(0),
    updatedAt: at(0),
    ...over,
  };
}

interface PlaceOpts {
  user: User;
  lines: [Product, number][];
  key?: string | null;
  hash?: string;
  createdAt?: Date;
  /** Overrides the outbox message built by compose. */
  outbox?: Partial<NewOutboxMessage>;
  onCompose?: (products: Product[]) => void;
}

/** A request whose compose prices simply (the pricing rules are tested elsewhere). */
export function orderRequest(o: PlaceOpts): PlaceOrderRequest {
  return {
    userId: o.user.id,
    idempotencyKey: o.key ?? null,
    requestHash: o.hash ?? 'hash-1',
    items: o.lines.map(([p, quantity]) => ({ productId: p.id, quantity })),
    compose(products) {
      o.onCompose?.(products);
      const byId = new Map(products.map((p) => [p.id, p]));
      const items = o.lines.map(([p, quantity]) => {
        const snap = byId.get(p.id)!;
        return {
          productId: snap.id,
          sku: snap.sku,
          name: snap.name,
          unitPriceCents: snap.priceCents,
          quantity,
          lineTotalCents: snap.priceCents * quantity,
        };
      });
      const subtotalCents = items.reduce((s, l) => s + l.lineTotalCents, 0);
      const createdAt = o.createdAt ?? at(1000);
      const order: Order = {
        id: uid(),
        userId: o.user.id,
        username: o.user.username,
        status: 'PENDING',
        tier: o.user.tier,
        items,
        subtotalCents,
        taxCents: 0,
        totalCents: subtotalCents,
        currency: 'INR',
        createdAt,
        processedAt: null,
        processingTimeMs: null,
        failureReason: null,
      };
      const outbox: NewOutboxMessage = {
        id: uid(),
        aggregateId: order.id,
        type: 'order.placed',
        destination: 'orders',
        payload: JSON.stringify({ orderId: order.id }),
        occurredAt: createdAt,
        ...o.outbox,
      };
      return { order, outbox };
    },
  };
}

async function placeCreated(store: OrderServiceStore, o: PlaceOpts): Promise<Order> {
  const result = await store.placeOrder(orderRequest(o));
  if (result.kind !== 'created') throw new Error(`expected created, got ${result.kind}`);
  return result.order;
}

async function allPages<T>(
  fetch: (after: { createdAt: Date; id: string } | null) => Promise<{ items: T[]; next: { createdAt: Date; id: string } | null }>,
): Promise<T[]> {
  const all: T[] = [];
  let after: { createdAt: Date; id: string } | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const page = await fetch(after);
    all.push(...page.items);
    if (!page.next) return all;
    after = page.next;
  }
  throw new Error('paging did not end');
}

const newestFirst = <T extends { createdAt: Date; id: string }>(rows: T[]) =>
  [...rows].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));

export function describeOrderStoreContract(name: string, open: () => Promise<OrderServiceStore>, server: ServerTraits = FULL_SERVER): void {
  describe(`OrderServiceStore contract: ${name}`, () => {
    let store: OrderServiceStore;
    let user: User;

    beforeEach(async () => {
      store = await open();
      user = makeUser();
      await store.createUser(user);
    });
    afterEach(async () => {
      await store.close();
    });

    const addProduct = async (over: Partial<Product> = {}) => {
      const p = makeProduct(over);
      await store.createProduct(p);
      return p;
    };
    const stockOf = async (p: Product) => (await store.getProduct(p.id))!.stock;

    describe('lifecycle', () => {
      it('answers ping', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
      });
    });

    describe('users', () => {
      it('stores and finds users by email and id', async () => {
        expect(await store.findUserByEmail(user.email)).toEqual(user);
        expect(await store.findUserById(user.id)).toEqual(user);
      });

      it('returns null for unknown users', async () => {
        expect(await store.findUserByEmail('nobody@example.test')).toBeNull();
        expect(await store.findUserById(uid())).toBeNull();
      });

      it('refuses a second user with the same email', async () => {
        const err = await store.createUser(makeUser({ email: user.email })).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(DuplicateKeyError);
        expect((err as DuplicateKeyError).field).toBe('email');
      });
    });

    describe('refresh tokens', () => {
      const token = (over: Partial<{ tokenHash: string; familyId: string; expiresAt: Date }> = {}) => ({
        tokenHash: uid(),
        userId: user.id,
        familyId: uid(),
        expiresAt: at(60_000),
        usedAt: null,
        revokedAt: null,
        ...over,
      });

      it('consumes a fresh token once, then reports reuse', async () => {
        const t = token();
        await store.insertRefreshToken(t);
        expect(await store.consumeRefreshToken(t.tokenHash, at(10))).toEqual({ token: { ...t, usedAt: at(10) }, reused: false });
        const again = await store.consumeRefreshToken(t.tokenHash, at(20));
        expect(again?.reused).toBe(true);
        expect(again?.token.familyId).toBe(t.familyId);
        expect(again?.token.usedAt).toEqual(at(10));
      });

      it('returns null for unknown and expired tokens', async () => {
        expect(await store.consumeRefreshToken('nope', at(0))).toBeNull();
        const t = token({ expiresAt: at(100) });
        await store.insertRefreshToken(t);
        expect(await store.consumeRefreshToken(t.tokenHash, at(100))).toBeNull();
      });

      it('revokes a whole family and nothing else', async () => {
        const familyId = uid();
        const a = token({ familyId });
        const b = token({ familyId });
        const other = token();
        for (const t of [a, b, other]) await store.insertRefreshToken(t);
        await store.revokeRefreshFamily(familyId, at(5));
        expect(await store.consumeRefreshToken(a.tokenHash, at(10))).toBeNull();
        expect(await store.consumeRefreshToken(b.tokenHash, at(10))).toBeNull();
        expect((await store.consumeRefreshToken(other.tokenHash, at(10)))?.reused).toBe(false);
      });

      it('refuses a used token once its family is revoked (no second reuse alarm)', async () => {
        const t = token();
        await store.insertRefreshToken(t);
        await store.consumeRefreshToken(t.tokenHash, at(10));
        await store.revokeRefreshFamily(t.familyId, at(20));
        expect(await store.consumeRefreshToken(t.tokenHash, at(30))).toBeNull();
      });
    });

    describe('products', () => {
      it('stores and reads products', async () => {
        const p = await addProduct({ priceCents: 12_345, currency: 'USD', stock: 7 });
        expect(await store.getProduct(p.id)).toEqual(p);
        expect(await store.getProduct(uid())).toBeNull();
      });

      it('refuses a duplicate sku', async () => {
        const p = await addProduct();
        const err = await store.createProduct(makeProduct({ sku: p.sku })).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(DuplicateKeyError);
        expect((err as DuplicateKeyError).field).toBe('sku');
      });

      it('patches only the given fields and stamps updatedAt', async () => {
        const p = await addProduct();
        const updated = await store.updateProduct(p.id, { priceCents: 999, stock: 3 }, at(500));
        const expected = { ...p, priceCents: 999, stock: 3, updatedAt: at(500) };
        expect(updated).toEqual(expected);
        expect(await store.getProduct(p.id)).toEqual(expected);
        expect(await store.updateProduct(uid(), { name: 'x' }, at(500))).toBeNull();
      });

      it('pages newest first without repeats or gaps, ties broken by id', async () => {
        const created: Product[] = [];
        for (let i = 0; i < 8; i++) created.push(await addProduct({ createdAt: at(Math.floor(i / 3) * 10) }));
        const seen = await allPages((after) => store.listProducts({ after, limit: 3 }));
        expect(seen.map((p) => p.id)).toEqual(newestFirst(created).map((p) => p.id));
        const exact = await store.listProducts({ after: null, limit: 8 });
        expect(exact.items).toHaveLength(8);
        expect(exact.next).toBeNull();
      });
    });

    describe('placeOrder', () => {
      it('commits order, stock decrement and outbox row together', async () => {
        const a = await addProduct({ stock: 5, priceCents: 100 });
        const b = await addProduct({ stock: 2, priceCents: 250 });
        let composedWith: Product[] = [];
        const result = await store.placeOrder(
          orderRequest({
            user,
            lines: [
              [a, 2],
              [b, 2],
            ],
            onCompose: (ps) => (composedWith = ps),
          }),
        );
        expect(result.kind).toBe('created');
        const order = (result as { order: Order }).order;
        expect(order.totalCents).toBe(700);
        expect(composedWith.map((p) => p.id).sort()).toEqual([a.id, b.id].sort());
        expect(await stockOf(a)).toBe(3);
        expect(await stockOf(b)).toBe(0);
        expect(await store.getOrder(order.id)).toEqual(order);
        const pending = await store.listOutbox({ status: 'pending', limit: 10 });
        expect(pending).toHaveLength(1);
        expect(pending[0]).toMatchObject({
          aggregateId: order.id,
          type: 'order.placed',
          destination: 'orders',
          status: 'pending',
          attempts: 0,
          nextAttemptAt: order.createdAt,
          occurredAt: order.createdAt,
          lockedUntil: null,
          publishedAt: null,
          lastError: null,
        });
      });

      it('prices from the products as stored (the snapshot)', async () => {
        const p = await addProduct({ priceCents: 100 });
        await store.updateProduct(p.id, { priceCents: 175, name: 'Renamed' }, at(1));
        const order = await placeCreated(store, { user, lines: [[p, 1]] });
        expect(order.items[0]).toMatchObject({ unitPriceCents: 175, name: 'Renamed' });
      });

      it('aborts everything when any line is short, naming the short lines', async () => {
        const ok = await addProduct({ stock: 5 });
        const short = await addProduct({ stock: 1 });
        const composed = jest.fn();
        const result = await store.placeOrder(
          orderRequest({
            user,
            lines: [
              [ok, 2],
              [short, 3],
            ],
            onCompose: composed,
          }),
        );
        expect(result).toEqual({ kind: 'insufficient-stock', lines: [{ productId: short.id, requested: 3, available: 1 }] });
        expect(composed).not.toHaveBeenCalled();
        expect(await stockOf(ok)).toBe(5);
        expect(await stockOf(short)).toBe(1);
        expect((await store.listOrdersForUser(user.id, { after: null, limit: 10 })).items).toEqual([]);
        expect(await store.listOutbox({ status: 'pending', limit: 10 })).toEqual([]);
      });

      it('reports unknown products and changes nothing', async () => {
        const p = await addProduct({ stock: 5 });
        const ghost = makeProduct();
        const result = await store.placeOrder(
          orderRequest({
            user,
            lines: [
              [p, 1],
              [ghost, 1],
            ],
          }),
        );
        expect(result).toEqual({ kind: 'unknown-products', productIds: [ghost.id] });
        expect(await stockOf(p)).toBe(5);
        expect(await store.listOutbox({ status: 'pending', limit: 10 })).toEqual([]);
      });

      it('rolls back when compose throws, and passes the error on', async () => {
        const p = await addProduct({ stock: 5 });
        const req = orderRequest({ user, lines: [[p, 2]] });
        const boom = new Error('mixed currency');
        await expect(
          store.placeOrder({
            ...req,
            compose: () => {
              throw boom;
            },
          }),
        ).rejects.toBe(boom);
        expect(await stockOf(p)).toBe(5);
        expect((await store.listOrdersForUser(user.id, { after: null, limit: 10 })).items).toEqual([]);
        expect(await store.listOutbox({ status: 'pending', limit: 10 })).toEqual([]);
      });

      it('replays the original order for a repeated Idempotency-Key and conflicts on another body', async () => {
        const p = await addProduct({ stock: 5 });
        const first = await placeCreated(store, { user, lines: [[p, 2]], key: 'key-1', hash: 'h1' });
        const replay = await store.placeOrder(orderRequest({ user, lines: [[p, 2]], key: 'key-1', hash: 'h1' }));
        expect(replay).toEqual({ kind: 'replayed', order: first });
        const conflict = await store.placeOrder(orderRequest({ user, lines: [[p, 1]], key: 'key-1', hash: 'h2' }));
        expect(conflict).toEqual({ kind: 'idempotency-conflict' });
        expect(await stockOf(p)).toBe(3);
        expect((await store.listOrdersForUser(user.id, { after: null, limit: 10 })).items).toHaveLength(1);
        expect(await store.listOutbox({ status: 'pending', limit: 10 })).toHaveLength(1);
      });

      it('scopes Idempotency-Keys per user and treats no key as always new', async () => {
        const p = await addProduct({ stock: 10 });
        const other = makeUser();
        await store.createUser(other);
        await placeCreated(store, { user, lines: [[p, 1]], key: 'shared' });
        await placeCreated(store, { user: other, lines: [[p, 1]], key: 'shared' });
        await placeCreated(store, { user, lines: [[p, 1]] });
        await placeCreated(store, { user, lines: [[p, 1]] });
        expect(await stockOf(p)).toBe(6);
      });

      server.needs('concurrency')('never oversells under concurrent orders', async () => {
        const p = await addProduct({ stock: 10 });
        const results = await Promise.all(
          Array.from({ length: 25 }, (_, i) => store.placeOrder(orderRequest({ user, lines: [[p, 1]], createdAt: at(2000 + i) }))),
        );
        expect(results.filter((r) => r.kind === 'created')).toHaveLength(10);
        expect(results.filter((r) => r.kind === 'insufficient-stock')).toHaveLength(15);
        expect(await stockOf(p)).toBe(0);
        expect(await store.listOutbox({ status: 'pending', limit: 100 })).toHaveLength(10);
      });

      server.needs('concurrency')('creates one order for concurrent requests with the same Idempotency-Key', async () => {
        const p = await addProduct({ stock: 10 });
        const results = await Promise.all(
          Array.from({ length: 5 }, () => store.placeOrder(orderRequest({ user, lines: [[p, 1]], key: 'race', hash: 'h' }))),
        );
        expect(results.filter((r) => r.kind === 'created')).toHaveLength(1);
        expect(results.filter((r) => r.kind === 'replayed')).toHaveLength(4);
        expect(await stockOf(p)).toBe(9);
      });
    });

    describe('reading orders', () => {
      it('returns null for an unknown order', async () => {
        expect(await store.getOrder(uid())).toBeNull();
      });

      it("pages a user's own orders newest first without repeats or gaps", async () => {
        const p = await addProduct({ stock: 100 });
        const other = makeUser();
        await store.createUser(other);
        const mine: Order[] = [];
        for (let i = 0; i < 7; i++) mine.push(await placeCreated(store, { user, lines: [[p, 1]], createdAt: at(Math.floor(i / 2) * 10) }));
        await placeCreated(store, { user: other, lines: [[p, 1]], createdAt: at(5) });
        const seen = await allPages((after) => store.listOrdersForUser(user.id, { after, limit: 2 }));
        expect(seen.map((o) => o.id)).toEqual(newestFirst(mine).map((o) => o.id));
      });

      it('searches by status, time range, product, sku, user name and amount', async () => {
        const phone = await addProduct({ name: 'Galaxy Phone', sku: `PH-${tag()}`, priceCents: 500, stock: 100 });
        const cable = await addProduct({ name: 'USB Cable', sku: `CB-${tag()}`, priceCents: 120, stock: 100 });
        const bob = makeUser({ username: 'bob_the_buyer' });
        await store.createUser(bob);
        const o1 = await placeCreated(store, { user, lines: [[phone, 1]], createdAt: at(100) });
        const o2 = await placeCreated(store, { user: bob, lines: [[cable, 2]], createdAt: at(200) });
        const o3 = await placeCreated(store, {
          user: bob,
          lines: [
            [phone, 1],
            [cable, 1],
          ],
          createdAt: at(300),
        });
        await store.applyStatusChange({
          orderId: o2.id,
          to: 'PROCESSED',
          from: ['PENDING'],
          processedAt: at(250),
          processingTimeMs: 50,
          failureReason: null,
        });

        const ids = async (q: Parameters<OrderServiceStore['searchOrders']>[0]) =>
          (await allPages((after) => store.searchOrders({ ...q, after }))).map((o) => o.id);
        expect(await ids({ after: null, limit: 10 })).toEqual([o3.id, o2.id, o1.id]);
        expect(await ids({ after: null, limit: 10, status: 'PROCESSED' })).toEqual([o2.id]);
        expect(await ids({ after: null, limit: 10, status: 'PENDING' })).toEqual([o3.id, o1.id]);
        expect(await ids({ after: null, limit: 10, from: at(200), to: at(300) })).toEqual([o2.id]);
        expect(await ids({ after: null, limit: 10, q: 'galaxy' })).toEqual([o3.id, o1.id]);
        expect(await ids({ after: null, limit: 10, q: cable.sku.toLowerCase() })).toEqual([o3.id, o2.id]);
        expect(await ids({ after: null, limit: 10, q: 'THE_BUY' })).toEqual([o3.id, o2.id]);
        expect(await ids({ after: null, limit: 10, q: '240' })).toEqual([o2.id]);
        expect(await ids({ after: null, limit: 10, q: '100%' })).toEqual([]);
        expect(await ids({ after: null, limit: 10, q: 'cable', status: 'PENDING', from: at(250) })).toEqual([o3.id]);
        expect(await ids({ after: null, limit: 1, q: 'phone' })).toEqual([o3.id, o1.id]);
      });
    });

    describe('applyStatusChange', () => {
      it('moves only forward and ignores stale or duplicate changes', async () => {
        const p = await addProduct();
        const order = await placeCreated(store, { user, lines: [[p, 1]] });
        const toProcessing = {
          orderId: order.id,
          to: 'PROCESSING' as const,
          from: ['PENDING' as const],
          processedAt: null,
          processingTimeMs: null,
          failureReason: null,
        };

        expect(await store.applyStatusChange(toProcessing)).toMatchObject({ id: order.id, status: 'PROCESSING' });
        expect(await store.applyStatusChange(toProcessing)).toBeNull();

        const done = await store.applyStatusChange({
          orderId: order.id,
          to: 'PROCESSED',
          from: ['PENDING', 'PROCESSING'],
          processedAt: at(5000),
          processingTimeMs: 1234,
          failureReason: null,
        });
        expect(done).toEqual({ ...order, status: 'PROCESSED', processedAt: at(5000), processingTimeMs: 1234 });
        expect(await store.applyStatusChange({ ...toProcessing })).toBeNull();
        expect(
          await store.applyStatusChange({ ...toProcessing, to: 'FAILED', from: ['PENDING', 'PROCESSING'], failureReason: 'x' }),
        ).toBeNull();
        expect(await store.getOrder(order.id)).toEqual(done);
      });

      it('records a failure reason and ignores unknown orders', async () => {
        const p = await addProduct();
        const order = await placeCreated(store, { user, lines: [[p, 1]] });
        const failed = await store.applyStatusChange({
          orderId: order.id,
          to: 'FAILED',
          from: ['PENDING', 'PROCESSING'],
          processedAt: at(10),
          processingTimeMs: 3,
          failureReason: 'smtp rejected',
        });
        expect(failed).toMatchObject({ status: 'FAILED', failureReason: 'smtp rejected', processingTimeMs: 3 });
        expect(
          await store.applyStatusChange({
            orderId: uid(),
            to: 'PROCESSING',
            from: ['PENDING'],
            processedAt: null,
            processingTimeMs: null,
            failureReason: null,
          }),
        ).toBeNull();
      });
    });

    describe('deleteOrder', () => {
      it('removes a PENDING order, gives its stock back and drops its unpublished outbox row', async () => {
        const a = await addProduct({ stock: 5 });
        const b = await addProduct({ stock: 3 });
        const order = await placeCreated(store, {
          user,
          lines: [
            [a, 2],
            [b, 3],
          ],
        });
        const keep = await placeCreated(store, { user, lines: [[a, 1]], createdAt: at(2000) });
        expect(await store.deleteOrder(order.id)).toEqual(order);
        expect(await store.getOrder(order.id)).toBeNull();
        expect(await stockOf(a)).toBe(4);
        expect(await stockOf(b)).toBe(3);
        expect((await store.listOutbox({ status: 'pending', limit: 10 })).map((m) => m.aggregateId)).toEqual([keep.id]);
        expect(await store.getOrder(keep.id)).toEqual(keep);
        expect(await store.deleteOrder(order.id)).toBeNull();
        expect(await stockOf(a)).toBe(4);
      });

      it('keeps the stock taken by an order that is past PENDING, and its published outbox row', async () => {
        const p = await addProduct({ stock: 5 });
        const order = await placeCreated(store, { user, lines: [[p, 2]] });
        const [row] = await store.claimOutboxBatch({ limit: 10, now: at(5000), leaseUntil: at(6000) });
        await store.markOutboxPublished([row!.id], at(5001));
        const processed = await store.applyStatusChange({
          orderId: order.id,
          to: 'PROCESSED',
          from: ['PENDING'],
          processedAt: at(6000),
          processingTimeMs: 10,
          failureReason: null,
        });
        expect(await store.deleteOrder(order.id)).toEqual(processed);
        expect(await stockOf(p)).toBe(3);
        expect((await store.listOutbox({ status: 'published', limit: 10 })).map((m) => m.id)).toEqual([row!.id]);
      });
    });

    describe('order change feed', () => {
      const processed = (orderId: string) => ({
        orderId,
        to: 'PROCESSED' as const,
        from: ['PENDING' as const],
        processedAt: at(7000),
        processingTimeMs: 70,
        failureReason: null,
      });

      it('records created, status-changed and deleted in the same transaction as the change, in sequence order', async () => {
        const start = await store.lastOrderEventSeq();
        const p = await addProduct({ stock: 3 });
        const a = await placeCreated(store, { user, lines: [[p, 1]] });
        const b = await placeCreated(store, { user, lines: [[p, 1]] });
        expect(await store.placeOrder(orderRequest({ user, lines: [[p, 5]] }))).toMatchObject({ kind: 'insufficient-stock' });
        await store.applyStatusChange(processed(a.id));
        expect(await store.applyStatusChange(processed(a.id))).toBeNull(); // a duplicate records nothing
        await store.applyStatusChanges([processed(b.id)]);
        await store.deleteOrder(a.id);
        expect(await store.deleteOrder(a.id)).toBeNull();

        const page = await store.readOrderEvents(start, 100);
        expect(page.more).toBe(false);
        const seqs = page.events.map((e) => e.seq);
        expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
        expect(new Set(seqs).size).toBe(seqs.length);
        expect(page.upTo).toBe(await store.lastOrderEventSeq());
        // a's created and status events are left out: a was deleted since, and its deletion says so.
        expect(page.events.map((e) => [e.type, e.type === 'order.deleted' ? e.orderId : e.order.id])).toEqual([
          ['order.created', b.id],
          ['order.status-changed', b.id],
          ['order.deleted', a.id],
        ]);
        const [created, changed, deleted] = page.events;
        // Each event carries the order as that change left it, not as it is now.
        expect(created).toMatchObject({ order: { ...b, status: 'PENDING' } });
        expect(changed).toMatchObject({ order: { ...b, status: 'PROCESSED', processedAt: at(7000), processingTimeMs: 70 } });
        expect(deleted).toEqual({ seq: expect.any(Number), type: 'order.deleted', orderId: a.id, userId: user.id });
        expect(page.events.map((e) => e.seq)).toEqual([start + 2, start + 4, start + 5]);
      });

      it('pages by sequence and prunes the oldest events without ever reusing a sequence', async () => {
        const p = await addProduct({ stock: 10 });
        for (let i = 0; i < 5; i++) await placeCreated(store, { user, lines: [[p, 1]] });
        const last = await store.lastOrderEventSeq();
        const first = (await store.firstOrderEventSeq())!;
        const head = await store.readOrderEvents(first - 1, 2);
        expect(head).toMatchObject({ more: true, upTo: first + 1 });
        expect((await store.readOrderEvents(head.upTo, 10)).events.map((e) => e.seq)).toEqual([first + 2, first + 3, first + 4]);

        expect(await store.pruneOrderEvents(new Date(Date.now() - 3_600_000), 100)).toBe(0); // all younger
        expect(await store.pruneOrderEvents(new Date(Date.now() + 1000), 2)).toBe(2);
        expect(await store.firstOrderEventSeq()).toBe(first + 2);
        expect(await store.pruneOrderEvents(new Date(Date.now() + 1000), 100)).toBe(3);
        expect(await store.firstOrderEventSeq()).toBeNull();
        expect(await store.lastOrderEventSeq()).toBe(last);
        await placeCreated(store, { user, lines: [[p, 1]] });
        expect((await store.readOrderEvents(0, 10)).events.map((e) => e.seq)).toEqual([last + 1]);
      });
    });

    describe('rate-limit counters', () => {
      it('counts hits per key in fixed windows that restart once ended', async () => {
        const key = `k-${uid()}`;
        const t = Date.now();
        expect(await store.hitRateLimit(key, 60_000, new Date(t))).toEqual({ count: 1, resetAt: new Date(t + 60_000) });
        expect(await store.hitRateLimit(key, 60_000, new Date(t + 10))).toEqual({ count: 2, resetAt: new Date(t + 60_000) });
        expect(await store.hitRateLimit(`other-${key}`, 60_000, new Date(t + 10))).toMatchObject({ count: 1 });
        const [x, y] = await Promise.all([
          store.hitRateLimit(key, 60_000, new Date(t + 20)),
          store.hitRateLimit(key, 60_000, new Date(t + 20)),
        ]);
        expect([x.count, y.count].sort()).toEqual([3, 4]);
        expect(await store.hitRateLimit(key, 60_000, new Date(t + 60_000))).toEqual({ count: 1, resetAt: new Date(t + 120_000) });
      });
    });

    describe('recentProcessingTimes', () => {
      it('returns the processing times of PROCESSED orders since a time, newest first, bounded', async () => {
        const p = await addProduct({ stock: 100 });
        const finish = async (processedAtMs: number, ms: number, to: 'PROCESSED' | 'FAILED' = 'PROCESSED') => {
          const o = await placeCreated(store, { user, lines: [[p, 1]] });
          await store.applyStatusChange({
            orderId: o.id,
            to,
            from: ['PENDING'],
            processedAt: at(processedAtMs),
            processingTimeMs: ms,
            failureReason: to === 'FAILED' ? 'x' : null,
          });
        };
        await finish(100, 11);
        await finish(300, 33);
        await finish(200, 22);
        await finish(400, 44, 'FAILED');
        await placeCreated(store, { user, lines: [[p, 1]] }); // still PENDING
        expect(await store.recentProcessingTimes({ since: at(0), limit: 100 })).toEqual([33, 22, 11]);
        expect(await store.recentProcessingTimes({ since: at(200), limit: 100 })).toEqual([33, 22]);
        expect(await store.recentProcessingTimes({ since: at(0), limit: 2 })).toEqual([33, 22]);
        expect(await store.recentProcessingTimes({ since: at(301), limit: 100 })).toEqual([]);
      });
    });

    describe('outbox', () => {
      it("serves the placed order's outbox row to the relay through the store's outbox port", async () => {
        const p = await addProduct();
        const order = await placeCreated(store, { user, lines: [[p, 1]] });
        const [row] = await store.claimOutboxBatch({ limit: 10, now: at(5000), leaseUntil: at(6000) });
        expect(row).toMatchObject({ aggregateId: order.id, type: 'order.placed', lockedUntil: at(6000) });
        await store.markOutboxFailed([{ id: row!.id, error: 'gave up', nextAttemptAt: null, countsAsAttempt: true }]);
        expect(await store.outboxStats(at(7000))).toEqual({ pending: 0, failed: 1, oldestPendingAgeMs: 0 });
        expect(await store.requeueFailedOutbox([row!.id])).toBe(1);
        await store.markOutboxPublished([row!.id], at(8000));
        expect(await store.listOutbox({ status: 'published', limit: 10 })).toEqual([
          expect.objectContaining({ id: row!.id, publishedAt: at(8000) }),
        ]);
      });
    });
  });
}
