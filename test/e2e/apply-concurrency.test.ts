/**
 * Concurrent apply: a run at the default concurrency produces the same org and the same output as
 * --concurrency 1.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { expectOk, LEGACY, shape, startEnv, type Env } from './apply-support.js';

// the original tool's files, unmodified (the built-in inputs are covered by apply-rerun and apply-destroy)
const MULESOFT = ['--input', join(LEGACY, 'mulesoft.json')];
const POLICY = ['--input', join(LEGACY, 'mulesoft_policy.json')];

async function both(e: Env, extra: string[]) {
  expectOk(await e.cli([...MULESOFT, '--yes', '--tag', 'conc', ...extra]));
  const out = await e.output('mulesoft');
  const id = await e.registerClient('Solar System Auth', String(out.REDIRECT_URI));
  expectOk(await e.cli([...POLICY, '--yes', '--tag', 'conc', '--set', `AUTHN_CLIENT_ID=${id}`, ...extra]));
  const outputs = [];
  for (const name of ['mulesoft', 'mulesoft_policy']) {
    const o = await e.output(name);
    const meta = o['$okta-bootstrap'];
    outputs.push({
      keys: Object.keys(o).filter((k) => k !== '$okta-bootstrap').sort(),
      objects: Object.fromEntries(Object.entries(meta.objects).map(([k, r]) => [k, { objectClass: r.objectClass, state: r.state }])),
      status: meta.status,
    });
  }
  return { org: shape(await e.snapshot()), outputs };
}

describe('concurrent apply', () => {
  it('gives the same org and output as --concurrency 1', async () => {
    const a = await startEnv();
    const b = await startEnv();
    try {
      const one = await both(a, ['--concurrency', '1']);
      const many = await both(b, ['--concurrency', '8']);
      expect(many).toEqual(one);
      expect(one.outputs[0]!.status).toBe('complete');
    } finally {
      await a.close();
      await b.close();
    }
  }, 60_000);
});
