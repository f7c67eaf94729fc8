import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runDag, type DagOptions, type DagResult } from './scheduler.js';

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

  it('with limit 1 never jumps ahead of a task that is not ready, even when the order is not topological', async () => {
    // The graph always gives a topological order, where the first waiting task is ready whenever nothing runs.
    // Given an order that is not, one by one stops at the task whose dependency comes later, as it always has.
    const g = graph({ a: [], x: ['b'], b: [] });
    const log: string[] = [];
    const res = await runDag(g.order, g.deps, async (k) => { log.push(k); await tick(); }, { limit: () => 1 });
    expect(log).toEqual(['a']);
    expect([...res.done]).toEqual(['a']);
    const log2: string[] = [];
    await runDag(g.order, g.deps, async (k) => { log2.push(k); await tick(); }, { limit: () => 2 });
    expect(log2).toEqual(['a', 'b', 'x']);
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

  it('a failure deep in a long chain skips the rest without a deep stack', async () => {
    const n = 50_000;
    const order = Array.from({ length: n }, (_, i) => `k${i}`);
    const deps = (k: string) => { const i = Number(k.slice(1)); return i === 0 ? [] : [`k${i - 1}`]; };
    const res = await runDag(order, deps, (k) => (k === 'k10' ? Promise.reject(new Error('boom')) : Promise.resolve()), { limit: () => 64 });
    expect(res.done.size).toBe(10);
    expect([...res.failed.keys()]).toEqual(['k10']);
    expect(res.skipped.size).toBe(n - 11);
    expect(res.skipped.get('k11')).toBe('k10');
    expect(res.skipped.get(`k${n - 1}`)).toBe(`k${n - 2}`);
    expect([...res.skipped.keys()].slice(0, 3)).toEqual(['k11', 'k12', 'k13']); // in input order
  });

  it('ignores dependencies outside the order and counts a dependency given twice once', async () => {
    const g = graph({ a: ['elsewhere'], b: ['a', 'a'], c: ['b', 'elsewhere', 'b'] });
    const log: string[] = [];
    const res = await runDag(g.order, g.deps, async (k) => { log.push(k); await tick(); }, { limit: () => 3 });
    expect(log).toEqual(['a', 'b', 'c']);
    expect(res.done.size).toBe(3);
  });

  it('a skipped task names the first of its dependencies that failed or was skipped', async () => {
    const g = graph({ a: [], b: [], c: ['a'], d: ['b', 'c'], e: ['c', 'b'] });
    const res = await runDag(g.order, g.deps, async (k) => { await tick(); if (k === 'a') throw new Error('boom'); }, { limit: () => 4 });
    expect(Object.fromEntries(res.skipped)).toEqual({ c: 'a', d: 'c', e: 'c' });
    expect([...res.done].sort()).toEqual(['b']);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Property tests: runDag against a reference model on random DAGs.
// ---------------------------------------------------------------------------------------------------------------

type Outcome = 'ok' | 'fail' | 'fatal';

interface Scenario {
  keys: string[];
  deps: Map<string, string[]>;
  outcome: Map<string, Outcome>;
  /** setImmediate turns each task takes (0: it settles in the same turn) */
  ticks: Map<string, number>;
  /** the limit in force before the i-th start is limits[i % limits.length] */
  limits: number[];
  /** stop() answers an error once this many tasks have started */
  stopAfter: number | undefined;
}

const scenario: fc.Arbitrary<Scenario> = fc.integer({ min: 1, max: 14 }).chain((n) =>
  fc.record({
    rawDeps: fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: n, maxLength: n }),
    outside: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    outcomes: fc.array(fc.oneof({ arbitrary: fc.constant<Outcome>('ok'), weight: 8 }, { arbitrary: fc.constant<Outcome>('fail'), weight: 2 }, { arbitrary: fc.constant<Outcome>('fatal'), weight: 1 }), { minLength: n, maxLength: n }),
    ticks: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
    limits: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 }),
    stopAfter: fc.option(fc.integer({ min: 0, max: n }), { nil: undefined, freq: 4 }),
    noFatal: fc.boolean(),
  }).map(({ rawDeps, outside, outcomes, ticks, limits, stopAfter, noFatal }): Scenario => {
    const keys = Array.from({ length: n }, (_, i) => `k${i}`);
    // dependencies only on earlier keys (the order is topological, as the graph gives it), sometimes repeated,
    // sometimes on a key outside the order
    const deps = new Map(keys.map((k, i) => [k, [...(i === 0 ? [] : (rawDeps[i] ?? []).map((d) => `k${d % i}`)), ...(outside[i] ? ['outside'] : [])]]));
    const outcome = new Map(keys.map((k, i) => [k, noFatal && outcomes[i] === 'fatal' ? 'fail' : outcomes[i] ?? 'ok'] as const));
    return { keys, deps, outcome, ticks: new Map(keys.map((k, i) => [k, ticks[i] ?? 0])), limits, stopAfter };
  }),
);

type Event = { at: 'start'; key: string; running: number; limit: number } | { at: 'end'; key: string };

type Scheduler = (order: string[], depsOf: (key: string) => string[], run: (key: string) => Promise<void>, opts: DagOptions) => Promise<DagResult>;

interface Trace {
  events: Event[];
  result: { done: string[]; failed: string[]; skipped: [string, string][] } | { rejected: unknown };
}

const fatalError = new Error('fatal');
const stopError = new Error('stop');

/** Runs a scenario under a scheduler; the tasks log what they see, so two schedulers can be compared event by event. */
async function trace(s: Scenario, scheduler: Scheduler): Promise<Trace> {
  const events: Event[] = [];
  let starts = 0;
  let running = 0;
  const limit = () => s.limits[starts % s.limits.length] ?? 1;
  const opts: DagOptions = {
    limit,
    fatal: (e) => e === fatalError,
    stop: () => (s.stopAfter !== undefined && starts >= s.stopAfter ? stopError : undefined),
  };
  const depsOf = (k: string) => s.deps.get(k) ?? [];
  const run = async (key: string) => {
    events.push({ at: 'start', key, running, limit: Math.max(1, limit()) });
    starts++;
    running++;
    try {
      for (let t = 0; t < (s.ticks.get(key) ?? 0); t++) await tick();
    } finally {
      running--;
      events.push({ at: 'end', key });
    }
    const o = s.outcome.get(key);
    if (o === 'fatal') throw fatalError;
    if (o === 'fail') throw new Error(`${key} failed`);
  };
  try {
    const r = await scheduler(s.keys, depsOf, run, opts);
    return { events, result: { done: [...r.done], failed: [...r.failed.keys()], skipped: [...r.skipped] } };
  } catch (e) {
    return { events, result: { rejected: e } };
  }
}

/**
 * The reference model: the rules of runDag written as plainly as possible, whatever the cost. At every event:
 * check stop(); skip every waiting task one of whose dependencies failed or was skipped (repeated until nothing
 * changes), naming the first such dependency; then walk the order and start every task whose dependencies are all
 * done while fewer than limit() run, never passing a task that is not ready when the limit is 1.
 */
const reference: Scheduler = (order, depsOf, run, opts) => {
  const keys = [...new Set(order)];
  const depsOfKnown = (k: string) => [...new Set(depsOf(k).filter((d) => keys.includes(d)))];
  const state = new Map<string, 'waiting' | 'running' | 'done' | 'failed' | 'skipped'>(keys.map((k) => [k, 'waiting']));
  const done = new Set<string>();
  const failed = new Map<string, unknown>();
  const skipped = new Map<string, string>();
  let running = 0;
  let fatal: { error: unknown } | undefined;
  return new Promise((resolve, reject) => {
    const step = () => {
      if (fatal === undefined && opts.stop) {
        const s = opts.stop();
        if (s !== undefined) fatal = { error: s };
      }
      if (fatal === undefined) {
        for (let changed = true; changed;) {
          changed = false;
          for (const k of keys) {
            if (state.get(k) !== 'waiting') continue;
            const by = depsOfKnown(k).find((d) => state.get(d) === 'failed' || state.get(d) === 'skipped');
            if (by === undefined) continue;
            state.set(k, 'skipped');
            skipped.set(k, by);
            changed = true;
          }
        }
        for (const k of keys) {
          if (state.get(k) !== 'waiting') continue;
          const limit = Math.max(1, opts.limit());
          if (running >= limit) break;
          if (!depsOfKnown(k).every((d) => state.get(d) === 'done')) {
            if (limit === 1) break;
            continue;
          }
          state.set(k, 'running');
          running++;
          void run(k).then(
            () => {
              state.set(k, 'done');
              done.add(k);
            },
            (e: unknown) => {
              if (opts.fatal?.(e)) fatal ??= { error: e };
              else {
                state.set(k, 'failed');
                failed.set(k, e);
              }
            },
          ).finally(() => {
            running--;
            step();
          });
        }
      }
      if (running === 0) {
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the model rejects with the fatal reason exactly as runDag does, whatever it is
        if (fatal !== undefined) reject(fatal.error);
        else resolve({ done, failed, skipped });
      }
    };
    step();
  });
};

/**
 * Keys that cannot run because a dependency, directly or through others, failed (given which tasks ran), each
 * with the dependencies it may name: those that failed or were skipped. Which of them it names depends on which
 * finished first; the comparison with the reference model checks that choice.
 */
function expectedSkips(s: Scenario, ran: Set<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const k of s.keys) {
    const by = (s.deps.get(k) ?? []).filter((d) => out.has(d) || (ran.has(d) && s.outcome.get(d) === 'fail'));
    if (by.length > 0) out.set(k, by);
  }
  return out;
}

describe('runDag against a reference model (property)', () => {
  it('starts, ends, settles and skips exactly as the reference model does', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const actual = await trace(s, runDag);
        const expected = await trace(s, reference);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('respects dependencies and the cap, and runs or skips every task exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { events, result } = await trace(s, runDag);
        const ended = new Set<string>();
        const started = new Set<string>();
        for (const e of events) {
          if (e.at === 'end') {
            ended.add(e.key);
            continue;
          }
          expect(started.has(e.key)).toBe(false); // never twice
          started.add(e.key);
          expect(e.running).toBeLessThan(e.limit); // the cap in force when it started
          for (const d of s.deps.get(e.key) ?? []) {
            if (d === 'outside') continue;
            expect(ended.has(d) && s.outcome.get(d) === 'ok').toBe(true); // its dependencies are done
          }
        }
        if (s.limits.every((l) => l <= 1)) {
          // one by one: strictly in the given order
          const starts = events.flatMap((e) => (e.at === 'start' ? [e.key] : []));
          expect(starts).toEqual(s.keys.filter((k) => starts.includes(k)));
          expect(events.every((e, i) => (i % 2 === 0 ? e.at === 'start' : e.at === 'end' && e.key === events[i - 1]?.key))).toBe(true);
        }
        const fatalRan = [...started].some((k) => s.outcome.get(k) === 'fatal');
        if ('rejected' in result) {
          expect(fatalRan || s.stopAfter !== undefined).toBe(true);
          if (!fatalRan) expect(result.rejected).toBe(stopError);
          expect(ended.size).toBe(started.size); // the running tasks finished first
          return;
        }
        expect(fatalRan).toBe(false);
        expect(s.stopAfter === undefined || s.stopAfter > started.size).toBe(true);
        // every task ran or was skipped, exactly once
        expect([...result.done, ...result.failed, ...result.skipped.map(([k]) => k)].sort()).toEqual([...s.keys].sort());
        expect(new Set(result.done)).toEqual(new Set(s.keys.filter((k) => started.has(k) && s.outcome.get(k) === 'ok')));
        expect(new Set(result.failed)).toEqual(new Set(s.keys.filter((k) => started.has(k) && s.outcome.get(k) === 'fail')));
        // a failure skips its transitive dependants, naming the first blocked dependency, and nothing else
        const skips = expectedSkips(s, started);
        expect(result.skipped.map(([k]) => k).sort()).toEqual([...skips.keys()].sort());
        for (const [k, by] of result.skipped) {
          expect(skips.get(k)).toContain(by);
          expect(started.has(k)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});
