import { OrderPlacedEvent, priorityOf, QueueKey, Tier, tierAt, type TierMix } from '@oms/contracts';
import type { NewOutboxMessage } from '@oms/outbox';
import { priceOrder } from '../domain/pricing';
import { newId } from '../application/shared/ids';
import { EVENT_SOURCE } from '../application/orders/orders';
import { hashPassword } from '../application/identity/passwords';
import type { Order } from '../domain/order';
import { LOADGEN_EMAIL_DOMAIN } from '../application/identity/load-test-accounts';
import type { ProductRepository } from '../application/catalog/ports';
import type { UserRepository } from '../application/identity/ports';
import type { Product } from '../domain/product';
import type { User } from '../domain/user';

const PRODUCT: Omit<Product, 'createdAt' | 'updatedAt'> = {
  id: 'loadgen-item',
  sku: 'LOADGEN-ITEM',
  name: 'Load test item',
  priceCents: 49_900,
  currency: 'INR',
  stock: 0,
};

/** One shopper per tier, each with an unguessable password nobody knows (they never log in). */
async function ensureShoppers(store: UserRepository & ProductRepository, now: Date): Promise<Record<Tier, User>> {
  const out = {} as Record<Tier, User>;
  for (const tier of Tier.options) {
    const id = `loadgen-${tier.toLowerCase()}`;
    let user = await store.findUserById(id);
    if (!user) {
      user = {
        id,
        username: `loadgen_${tier.toLowerCase()}`,
        email: `${tier.toLowerCase()}@${LOADGEN_EMAIL_DOMAIN}`,
        passwordHash: await hashPassword(newId() + newId()),
        role: 'customer',
        tier,
        createdAt: now,
      };
      await store.createUser(user);
    } else if (user.tier !== tier) {
      user = (await store.setUserTier(id, tier)) ?? user;
    }
    out[tier] = user;
  }
  return out;
}

async function ensureProduct(store: UserRepository & ProductRepository, now: Date): Promise<Product> {
  const existing = await store.getProduct(PRODUCT.id);
  if (existing) return existing;
  const product = { ...PRODUCT, createdAt: now, updatedAt: now };
  await store.createProduct(product);
  return product;
}

/**
 * Builds chunks of generated orders with their order.placed outbox rows, as placeOrder would
 * (same pricing, same event, same queue routing), minus the stock decrement. The event is
 * validated against the contract once per tier and chunk; the orders share its shape.
 */
export class BulkOrderFactory {
  private constructor(
    private readonly shoppers: Record<Tier, User>,
    private readonly product: Product,
    private readonly taxRateBps: number,
    private readonly mix: TierMix,
  ) {}

  static async prepare(
    store: UserRepository & ProductRepository,
    opts: { taxRateBps: number; mix: TierMix; now: Date },
  ): Promise<BulkOrderFactory> {
    return new BulkOrderFactory(await ensureShoppers(store, opts.now), await ensureProduct(store, opts.now), opts.taxRateBps, opts.mix);
  }

  /** Orders number `from` .. `from + count - 1` of the run. */
  chunk(from: number, count: number, now: Date): { orders: Order[]; outbox: NewOutboxMessage[] } {
    const p = this.product;
    const priced = priceOrder(
      [{ productId: p.id, sku: p.sku, name: p.name, unitPriceCents: p.priceCents, currency: p.currency, quantity: 1 }],
      this.taxRateBps,
    );
    const payloads = this.payloadTemplates(priced, now);
    const orders: Order[] = [];
    const outbox: NewOutboxMessage[] = [];
    for (let n = from; n < from + count; n++) {
      const tier = tierAt(this.mix, n);
      const user = this.shoppers[tier];
      const orderId = newId(now.getTime());
      const eventId = newId(now.getTime());
      orders.push({
        id: orderId,
        userId: user.id,
        username: user.username,
        status: 'PENDING',
        tier,
        ...priced,
        createdAt: now,
        processedAt: null,
        processingTimeMs: null,
        failureReason: null,
      });
      const [a, b, c] = payloads[tier];
      outbox.push({
        id: eventId,
        aggregateId: orderId,
        type: 'order.placed',
        destination: tier === 'DIAMOND' ? QueueKey.ordersPriority : QueueKey.orders,
        // Ids are hex and dashes: nothing to escape, so filling the template is plain concatenation.
        payload: a + eventId + b + orderId + c,
        occurredAt: now,
        priority: tier === 'DIAMOND',
      });
    }
    return { orders, outbox };
  }

  /**
   * The order.placed envelope per tier, serialized once per chunk with markers for the two ids
   * and cut around them (JSON.stringify per order was a third of the generation time).
   */
  private payloadTemplates(priced: ReturnType<typeof priceOrder>, now: Date): Record<Tier, [string, string, string]> {
    const at = now.toISOString();
    const out = {} as Record<Tier, [string, string, string]>;
    for (const tier of Tier.options) {
      const user = this.shoppers[tier];
      const event = OrderPlacedEvent.parse({
        id: EVENT_ID_MARK,
        type: 'order.placed',
        version: 1,
        occurredAt: at,
        source: EVENT_SOURCE,
        data: {
          orderId: ORDER_ID_MARK,
          userId: user.id,
          customer: { name: user.username, email: user.email },
          items: priced.items,
          totals: { subtotalCents: priced.subtotalCents, taxCents: priced.taxCents, totalCents: priced.totalCents },
          currency: priced.currency,
          tier,
          priority: priorityOf(tier),
          placedAt: at,
        },
      });
      const json = JSON.stringify(event);
      const [a, rest] = json.split(EVENT_ID_MARK) as [string, string];
      const [b, c] = rest.split(ORDER_ID_MARK) as [string, string];
      out[tier] = [a, b, c];
    }
    return out;
  }
}

/** Valid UUIDs (the contract checks the event id) that no generator ever makes. */
const EVENT_ID_MARK = '00000000-0000-4000-8000-00000000e7e7';
const ORDER_ID_MARK = '00000000-0000-4000-8000-00000000d7d7';
