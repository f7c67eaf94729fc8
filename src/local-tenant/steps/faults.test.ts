import { describe, expect, it } from 'vitest';
import { FaultInjector, faultBody } from './faults.js';

describe('FaultInjector', () => {
  it('gives the same failures for the same seed and different ones for another seed', () => {
    const run = (seed: number) => {
      const f = new FaultInjector({ rate: 0.3, seed });
      return Array.from({ length: 200 }, () => f.next().decision);
    };
    const a = run(42);
    expect(run(42)).toEqual(a);
    expect(run(43)).not.toEqual(a);
  });

  it('fails roughly the requested share and uses every kind and phase', () => {
    const f = new FaultInjector({ rate: 0.25, seed: 7 });
    const ds = Array.from({ length: 4000 }, (_, i) => f.decide(i)).filter((d) => d !== null);
    expect(ds.length).toBeGreaterThan(800);
    expect(ds.length).toBeLessThan(1200);
    expect(new Set(ds.map((d) => d.kind))).toEqual(new Set(['500', '503', 'reset']));
    expect(new Set(ds.map((d) => d.phase))).toEqual(new Set(['before', 'after']));
  });

  it('never fails at rate 0, always at rate 1, and restricts kinds and phases', () => {
    const none = new FaultInjector({ rate: 0, seed: 1 });
    expect(Array.from({ length: 100 }, (_, i) => none.decide(i)).every((d) => d === null)).toBe(true);
    const all = new FaultInjector({ rate: 1, seed: 1, kinds: ['503'], phases: ['after'] });
    expect(Array.from({ length: 100 }, (_, i) => all.decide(i)).every((d) => d?.kind === '503' && d.phase === 'after')).toBe(true);
    expect(() => new FaultInjector({ rate: 1.5, seed: 1 })).toThrow(RangeError);
  });

  it('decide is pure and next walks the sequence', () => {
    const f = new FaultInjector({ rate: 0.5, seed: 9 });
    const expected = [0, 1, 2, 3].map((i) => f.decide(i));
    expect([0, 1, 2, 3].map(() => f.next())).toEqual(expected.map((decision, seq) => ({ seq, decision })));
  });
});

describe('faultBody', () => {
  it('builds Okta error objects', () => {
    expect(faultBody('500', 'oae1')).toEqual({ status: 500, body: { errorCode: 'E0000009', errorSummary: 'Internal Server Error', errorLink: 'E0000009', errorId: 'oae1', errorCauses: [] } });
    expect(faultBody('503', 'oae1').status).toBe(503);
  });
});
