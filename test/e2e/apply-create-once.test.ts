/**
 * A create that keeps failing is not sent over and over: in front of the local tenant, a small proxy answers 500
 * (Okta's E0000009) to every POST /api/v1/groups and passes everything else on. The run sends at most
 * CREATE_ATTEMPTS (4) POSTs for the group, looks it up by natural key before each retry, and ends with exit 1,
 * naming the object and Okta's error. The other object of the input is created.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultProxy, type FaultProxy, type Seen } from '../support/fault-proxy.js';
import { startEnv, type Env } from './apply-support.js';

const INPUT = {
  ONCE_GROUP: { objType: 'json', objectClass: 'okta:user_group', saveToOutput: true, default: { profile: { name: 'create once group', description: 'every create of it fails' } } },
  ONCE_ORIGIN: { objType: 'json', objectClass: 'okta:trusted_origin', saveToOutput: true, default: { name: 'create once origin', origin: 'http://localhost:9911', scopes: [{ type: 'CORS' }] } },
};

describe('a create that fails every time', () => {
  let e: Env;
  let proxy: FaultProxy;
  beforeAll(async () => {
    e = await startEnv();
    proxy = await faultProxy(e.tenant.orgUrl, (req) => (req.method === 'POST' && (req.url ?? '').split('?')[0] === '/api/v1/groups' ? 'before' : undefined));
  });
  afterAll(async () => {
    await proxy?.close();
    await e?.close();
  });

  it('is sent at most 4 times, each retry after a lookup, and the run fails naming the object and Okta’s error', async () => {
    const file = join(e.dir, 'once.json');
    await writeFile(file, JSON.stringify(INPUT, null, 2));
    const r = await e.cli(['--input', file, '--yes'], { env: { ...e.env, OKTA_TENANT: proxy.url } });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('ONCE_GROUP');
    expect(r.stderr).toMatch(/500 E0000009 Internal Server Error/);

    const isPost = (s: Seen) => s.method === 'POST' && s.path === '/api/v1/groups';
    const posts = proxy.seen.flatMap((s, i) => (isPost(s) ? [i] : []));
    console.log(`create-once: ${posts.length} POST /api/v1/groups for one failing group (${proxy.seen.length} requests in all)`);
    expect(posts.length).toBeGreaterThanOrEqual(2); // it was retried
    expect(posts.length).toBeLessThanOrEqual(4);
    // between two POSTs of the group there is a lookup of it by name
    for (let n = 1; n < posts.length; n++) {
      const between = proxy.seen.slice((posts[n - 1] ?? 0) + 1, posts[n]);
      expect(between.some((s) => s.method === 'GET' && s.path === '/api/v1/groups' && decodeURIComponent(s.query.replace(/\+/g, ' ')).includes('create once group'))).toBe(true);
    }
    // the other object is made; the group is recorded as a pending intent, nothing else
    const meta = (await e.output('once'))['$okta-bootstrap'];
    expect(meta.objects.ONCE_ORIGIN?.state).toBe('done');
    expect(meta.objects.ONCE_GROUP?.state).toBe('pending');
    expect((await e.snapshot()).groups.some((g) => g.name === 'create once group')).toBe(false);
  }, 60_000);
});
