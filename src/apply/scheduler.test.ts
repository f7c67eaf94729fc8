import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runDag } from './scheduler.js';

const tick = () => new Promise((r) => setImmediate(r));

function graph(edges: Record<string, string[]>) {
  return { order: Object.keys(edges), deps: (k: string) => edges[k] ?? [] };
}

describe('runDag', () => {
  it('starts a task only after its dependencies, and runs independent ones together up to the limit', async () => {
    const g = graph({ a: [], b: [], c: [], d: ['a', 'b'], e: ['d'] });
    let running = 0;
    let peak = 0;
    const log: string[] = [];
    const res = await runDag(g.order, g.deps, async (k) => {
      log.push(`start ${k}`);
      running++;
      peak = Math.max(peak, running);
      await tick();
      running--;
      log.push(`end ${k}`);
    }, { limit: () => 2 });
    expect([...res.done].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(peak).toBe(2);
    expect(log.indexOf('start d')).toBeGreaterThan(Math.max(log.indexOf('end a'), log.indexOf('end b')));
    expect(log.indexOf('start e')).toBeGreaterThan(log.indexOf('end d'));
  });

  it('with limit 1 runs strictly in the given order', async () => {
    const g = graph({ a: [], x: ['a'], b: [], y: ['b'] });
    const log: string[] = [];
    await runDag(g.order, g.deps, async (k) => { log.push(k); await tick(); }, { limit: () => 1 });
    expect(log).toEqual(['a', 'x', 'b', 'y']);
  });

  it('switches from one by one to concurrent when the limit grows', async () => {
    const g = graph({ a: [], b: [], c: [], d: [] });
    let limit = 1;
    let peak = 0;
    let running = 0;
    await runDag(g.order, g.deps, async (k) => {
      running++;
      peak = Math.max(peak, running);
      if (k === 'a') limit = 8;
      await tick();
      running--;
    }, { limit: () => limit });
    expect(peak).toBe(4); // b, c and d start beside a as soon as a raised the limit
  });

  it('a failure skips its dependents only; other branches finish', async () => {
    const g = graph({ a: [], b: ['a'], c: ['b'], x: [], y: ['x'] });
    const res = await runDag(g.order, g.deps, async (k) => { await tick(); if (k === 'a') throw new Error('boom'); }, { limit: () => 4 });
    expect([...res.done].sort()).toEqual(['x', 'y']);
    expect([...res.failed.keys()]).toEqual(['a']);
    expect(Object.fromEntries(res.skipped)).toEqual({ b: 'a', c: 'b' });
  });

  it('a fatal error stops new starts, lets running tasks finish, then throws', async () => {
    const g = graph({ a: [], b: [], c: ['a'], d: [] });
    const finished: string[] = [];
    const quit = new Error('quit');
    await expect(runDag(g.order, g.deps, async (k) => {
      if (k === 'a') throw quit;
      await tick();
      await tick();
      finished.push(k);
    }, { limit: () => 2, fatal: (e) => e === quit })).rejects.toBe(quit);
    expect(finished).toEqual(['b']);
  });

  it('stop() ends the run after the running tasks', async () => {
    let stopped = false;
    const g = graph({ a: [], b: [], c: [] });
    const ran: string[] = [];
    const stop = new Error('stop');
    await expect(runDag(g.order, g.deps, async (k) => { ran.push(k); stopped = true; await tick(); }, { limit: () => 1, stop: () => (stopped ? stop : undefined) })).rejects.toBe(stop);
    expect(ran).toEqual(['a']);
  });

  it('property: every task runs exactly once, after all its dependencies, whatever the limit', async () => {
    const dag = fc.integer({ min: 1, max: 12 }).chain((n) =>
      fc.tuple(fc.constant(n), fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: n, maxLength: n }), fc.integer({ min: 1, max: 5 })),
    );
    await fc.assert(
      fc.asyncProperty(dag, async ([n, raw, limit]) => {
        const keys = Array.from({ length: n }, (_, i) => `k${i}`);
        // deps only on earlier keys: a DAG in topological order
        const deps = (k: string) => { const i = Number(k.slice(1)); return i === 0 ? [] : raw[i]!.map((d) => `k${d % i}`); };
        const doneAt = new Map<string, number>();
        let clock = 0;
        const res = await runDag(keys, deps, async (k) => {
          for (const d of deps(k)) if (!doneAt.has(d)) throw new Error(`${k} before ${d}`);
          await tick();
          if (doneAt.has(k)) throw new Error('twice');
          doneAt.set(k, clock++);
        }, { limit: () => limit });
        return res.done.size === n && res.failed.size === 0;
      }),
      { numRuns: 50 },
    );
  });
});
