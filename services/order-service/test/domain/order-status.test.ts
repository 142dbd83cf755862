import { OrderStatus } from '@oms/contracts';
import { canTransition, isTerminal, predecessorsOf } from '../../src/domain/order-status';

describe('order status machine', () => {
  it('moves forward only', () => {
    expect(canTransition('PENDING', 'PROCESSING')).toBe(true);
    expect(canTransition('PROCESSING', 'PROCESSED')).toBe(true);
    expect(canTransition('PROCESSING', 'FAILED')).toBe(true);
    expect(canTransition('PENDING', 'PROCESSED')).toBe(true);
    expect(canTransition('PENDING', 'FAILED')).toBe(true);

    expect(canTransition('PROCESSING', 'PENDING')).toBe(false);
    expect(canTransition('PROCESSED', 'PROCESSING')).toBe(false);
    expect(canTransition('PROCESSED', 'FAILED')).toBe(false);
    expect(canTransition('FAILED', 'PROCESSED')).toBe(false);
  });

  it('never allows a status to repeat (duplicates are not transitions)', () => {
    for (const s of OrderStatus.options) expect(canTransition(s, s)).toBe(false);
  });

  it('lists predecessors for conditional updates', () => {
    expect(predecessorsOf('PENDING')).toEqual([]);
    expect(predecessorsOf('PROCESSING')).toEqual(['PENDING']);
    expect(predecessorsOf('PROCESSED')).toEqual(['PENDING', 'PROCESSING']);
    expect(predecessorsOf('FAILED')).toEqual(['PENDING', 'PROCESSING']);
  });

  it('knows the terminal states', () => {
    expect(OrderStatus.options.filter(isTerminal)).toEqual(['PROCESSED', 'FAILED']);
  });
});
