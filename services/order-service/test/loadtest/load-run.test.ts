import {
  classifyHealth,
  etaMs,
  PAUSED_AFTER_MS,
  perSecond,
  recentRate,
  settlePhase,
  stopPhase,
  type HealthFacts,
  type RunCounts,
} from '../../src/loadtest/load-run';
import { newId } from '../../src/application/shared/ids';

const counts = (over: Partial<RunCounts> = {}): RunCounts => ({
  target: 10,
  until: 'processed',
  generated: { VIP: 0, NORMAL: 0 },
  completed: { VIP: 0, NORMAL: 0 },
  ...over,
});

describe('load run phases', () => {
  it('stays GENERATING until the target is generated', () => {
    expect(settlePhase('GENERATING', counts({ generated: { VIP: 2, NORMAL: 7 } }))).toBe('GENERATING');
  });

  it('drains VIP, then NORMAL, then is DONE', () => {
    const generated = { VIP: 2, NORMAL: 8 };
    expect(settlePhase('GENERATING', counts({ generated }))).toBe('DRAINING_VIP');
    expect(settlePhase('DRAINING_VIP', counts({ generated, completed: { VIP: 1, NORMAL: 3 } }))).toBe('DRAINING_VIP');
    expect(settlePhase('DRAINING_VIP', counts({ generated, completed: { VIP: 2, NORMAL: 3 } }))).toBe('DRAINING_NORMAL');
    expect(settlePhase('DRAINING_NORMAL', counts({ generated, completed: { VIP: 2, NORMAL: 8 } }))).toBe('DONE');
  });

  it('skips an empty VIP drain and goes straight through when everything is already processed', () => {
    const generated = { VIP: 0, NORMAL: 10 };
    expect(settlePhase('GENERATING', counts({ generated }))).toBe('DRAINING_NORMAL');
    expect(settlePhase('GENERATING', counts({ generated, completed: { VIP: 0, NORMAL: 10 } }))).toBe('DONE');
  });

  it('is DONE right after generation when only generation was asked for', () => {
    expect(settlePhase('GENERATING', counts({ until: 'generated', generated: { VIP: 1, NORMAL: 9 } }))).toBe('DONE');
  });

  it('leaves finished runs alone', () => {
    for (const phase of ['DONE', 'ABORTED', 'ERROR', 'IDLE'] as const) {
      expect(settlePhase(phase, counts({ generated: { VIP: 5, NORMAL: 5 }, completed: { VIP: 5, NORMAL: 5 } }))).toBe(phase);
    }
  });

  it('stops only an active run: cancel -> ABORTED, failure -> ERROR', () => {
    expect(stopPhase('GENERATING', 'cancel')).toBe('ABORTED');
    expect(stopPhase('DRAINING_NORMAL', 'error')).toBe('ERROR');
    expect(stopPhase('DONE', 'cancel')).toBeNull();
    expect(stopPhase('IDLE', 'cancel')).toBeNull();
    expect(stopPhase('ABORTED', 'error')).toBeNull();
  });
});

describe('load run health', () => {
  const facts = (over: Partial<HealthFacts> = {}): HealthFacts => ({
    phase: 'DRAINING_NORMAL',
    completed: 1000,
    failed: 0,
    sinceProgressMs: 100,
    recentPerSec: 900,
    averagePerSec: 1000,
    ...over,
  });

  it('is healthy while orders move at about the average rate', () => {
    expect(classifyHealth(facts())).toBe('healthy');
  });

  it('mirrors aborted and error runs', () => {
    expect(classifyHealth(facts({ phase: 'ABORTED' }))).toBe('aborted');
    expect(classifyHealth(facts({ phase: 'ERROR' }))).toBe('error');
  });

  it('is paused when an active run has not moved for a while', () => {
    expect(classifyHealth(facts({ sinceProgressMs: PAUSED_AFTER_MS }))).toBe('paused');
    expect(classifyHealth(facts({ phase: 'DONE', sinceProgressMs: PAUSED_AFTER_MS * 10 }))).toBe('healthy');
  });

  it('is degraded by failures above 1% or a rate that fell below a quarter of the average', () => {
    expect(classifyHealth(facts({ failed: 11 }))).toBe('degraded');
    expect(classifyHealth(facts({ failed: 10 }))).toBe('healthy');
    expect(classifyHealth(facts({ recentPerSec: 200 }))).toBe('degraded');
    expect(classifyHealth(facts({ recentPerSec: null }))).toBe('healthy');
  });
});

describe('load run arithmetic', () => {
  it('computes rates and ETAs, with null for the unknowable', () => {
    expect(perSecond(500, 250)).toBe(2000);
    expect(perSecond(5, 0)).toBeNull();
    expect(etaMs(3000, 1500)).toBe(2000);
    expect(etaMs(0, null)).toBe(0);
    expect(etaMs(10, null)).toBeNull();
    expect(etaMs(10, 0)).toBeNull();
  });

  it('measures the recent rate over the newest samples within the window', () => {
    const samples = [
      { at: 0, count: 0 },
      { at: 1000, count: 100 },
      { at: 6000, count: 1100 },
      { at: 7000, count: 1300 },
    ];
    expect(recentRate(samples, 5000)).toBe(200); // 1000 ms .. 7000 ms is too wide; 6000 .. 7000 fits
    expect(recentRate(samples, 6000)).toBe(1200 / 6);
    expect(recentRate([], 5000)).toBeNull();
  });
});

describe('time-ordered ids', () => {
  it('are UUIDv7 and sort in the order they were made, even within one millisecond', () => {
    const ids = Array.from({ length: 5000 }, () => newId(1_700_000_000_000));
    for (const id of ids.slice(0, 50)) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(newId(1_700_000_001_000) > ids[ids.length - 1]!).toBe(true);
  });
});
