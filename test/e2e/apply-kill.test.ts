/**
 * Interruptions: kill -9 the CLI right after its 3rd, 6th and 9th create, run the same command again,
 * and the org holds exactly one of each object while the output records all of them. The kill comes from the
 * tenant's request log: when the N-th successful create is logged, the child gets SIGKILL at once (it may or may
 * not have read the answer, so both "pending" and "done" records are exercised).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { expectOk, LEGACY, shape, startEnv, type Env } from './apply-support.js';

// the original tool's files, unmodified (the built-in inputs are covered by apply-rerun and apply-destroy)
const MULESOFT = ['--input', join(LEGACY, 'mulesoft.json')];
const POLICY = ['--input', join(LEGACY, 'mulesoft_policy.json')];

const isCreate = (e: { method: string; path: string; status: number }) =>
  (e.method === 'POST' && !e.path.includes('/lifecycle/') && e.status < 300) || (e.method === 'PUT' && /\/apps\/[^/]+\/groups\//.test(e.path) && e.status < 300);

/** Counts creates in the tenant's log and kills the running child right after the N-th. */
function killAfter(e: Env, n: number) {
  let count = 0;
  let child: ChildProcess | undefined;
  let killed = false;
  const log = e.tenant.requestLog;
  const push = log.push.bind(log);
  log.push = (...items) => {
    const r = push(...items);
    for (const it of items) {
      if (child && isCreate(it) && ++count === n && !killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    }
    return r;
  };
  return {
    onSpawn: (c: ChildProcess) => {
      child = c;
      // only the CLI's own creates count (not the test's client registration between runs)
      c.on('exit', () => {
        if (child === c) child = undefined;
      });
    },
    get killed() {
      return killed;
    },
  };
}

async function sequence(e: Env, extra: string[], onSpawn?: (c: ChildProcess) => void) {
  const results = [];
  const m = await e.cli([...MULESOFT, '--yes', ...extra], { onSpawn });
  results.push(m);
  if (m.signal === 'SIGKILL') return results;
  expectOk(m);
  const out = await e.output('mulesoft');
  const clientId = await clientFor(e, String(out.REDIRECT_URI));
  const p = await e.cli([...POLICY, '--yes', '--set', `AUTHN_CLIENT_ID=${clientId}`, ...extra], { onSpawn });
  results.push(p);
  return results;
}

const clients = new WeakMap<Env, string>();
async function clientFor(e: Env, redirect: string) {
  let id = clients.get(e);
  if (!id) {
    id = await e.registerClient('Solar System Auth', redirect);
    clients.set(e, id);
  }
  return id;
}

describe('kill -9 after the N-th create, then run again', () => {
  let reference: ReturnType<typeof shape>;
  let ref: Env;
  beforeAll(async () => {
    ref = await startEnv();
    const rs = await sequence(ref, ['--tag', 'killtest']);
    for (const r of rs) expectOk(r);
    reference = shape(await ref.snapshot());
  }, 60_000);
  afterAll(() => ref?.close());

  it.each([3, 6, 9])('after the %i-th create: one of each object, output complete', async (n) => {
    const e = await startEnv();
    try {
      const k = killAfter(e, n);
      const first = await sequence(e, ['--tag', 'killtest', '--concurrency', '2'], k.onSpawn);
      expect(k.killed).toBe(true);
      expect(first[first.length - 1]!.signal).toBe('SIGKILL');
      // run the whole sequence again, as a person would: the killed command finishes its job
      const again = await sequence(e, ['--tag', 'killtest']);
      for (const r of again) expectOk(r);
      expect(shape(await e.snapshot())).toEqual(reference);
      for (const name of ['mulesoft', 'mulesoft_policy']) {
        const meta = (await e.output(name))['$okta-bootstrap'];
        expect(meta.status).toBe('complete');
        for (const [key, o] of Object.entries(meta.objects)) {
          expect(o.state, `${name} ${key}`).toBe('done');
          expect(o.id, `${name} ${key}`).toBeTruthy();
        }
      }
      // the killed object was taken over, not reported as a foreign conflict
      expect(again.map((r) => r.stderr).join('\n')).not.toContain('! conflict');
    } finally {
      await e.close();
    }
  }, 60_000);
});
