import { OrderEventBus, type SequencedOrderEvent } from '../../src/app/order-events';
import type { Order } from '../../src/app/ports';

const order = (id: string) => ({ id, userId: 'u1' }) as Order;
const created = (id: string) => ({ type: 'order.created' as const, order: order(id) });

describe('OrderEventBus', () => {
  it('numbers events monotonically and delivers them to every subscriber until it unsubscribes', () => {
    const bus = new OrderEventBus({ bufferSize: 10 });
    const a: SequencedOrderEvent[] = [];
    const b: SequencedOrderEvent[] = [];
    const stopA = bus.subscribe((e) => a.push(e));
    bus.subscribe((e) => b.push(e));
    bus.publish(created('o1'));
    stopA();
    bus.publish(created('o2'));
    expect(a.map((e) => e.order.id)).toEqual(['o1']);
    expect(b.map((e) => e.id)).toEqual([`${bus.epoch}-1`, `${bus.epoch}-2`]);
    expect(bus.lastId()).toBe(`${bus.epoch}-2`);
  });

  it('keeps delivering when one subscriber throws, and reports the error', () => {
    const errors: unknown[] = [];
    const bus = new OrderEventBus({ bufferSize: 10, onListenerError: (err) => errors.push(err) });
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error('socket gone');
    });
    bus.subscribe((e) => seen.push(e.order.id));
    expect(() => bus.publish(created('o1'))).not.toThrow();
    expect(seen).toEqual(['o1']);
    expect(errors).toHaveLength(1);
  });

  it('replays what came after an id while it is in the ring, and reports a gap otherwise', () => {
    const bus = new OrderEventBus({ bufferSize: 3 });
    expect(bus.since(bus.lastId())).toEqual({ kind: 'events', events: [] });
    for (const id of ['o1', 'o2', 'o3', 'o4', 'o5']) bus.publish(created(id));
    const ids = (r: ReturnType<OrderEventBus['since']>) => (r.kind === 'events' ? r.events.map((e) => e.order.id) : r.kind);
    expect(ids(bus.since(`${bus.epoch}-2`))).toEqual(['o3', 'o4', 'o5']);
    expect(ids(bus.since(`${bus.epoch}-4`))).toEqual(['o5']);
    expect(ids(bus.since(`${bus.epoch}-5`))).toEqual([]);
    expect(ids(bus.since(`${bus.epoch}-1`))).toBe('gap');
    expect(ids(bus.since(`${bus.epoch}-6`))).toBe('gap');
    expect(ids(bus.since('otherepoch-3'))).toBe('gap');
    expect(ids(bus.since('garbage'))).toBe('gap');
  });
});
