/**
 * `okta-bootstrap local serve|info|reset` as a user runs them (the built CLI): two serve processes on one state
 * file take writes at the same time and lose nothing; SIGTERM stops them cleanly; a restart keeps every object
 * and the token; info prints the dotenv pair; reset empties the org; --log prints one line per request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { serve } from '../support/serve.js';
import { parseObject } from '../support/json.js';

async function api(s: { orgUrl: string; token: string }, method: string, path: string, body?: unknown) {
  const res = await fetch(s.orgUrl + path, {
    method,
    headers: { authorization: `SSWS ${s.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  return { status: res.status, headers: res.headers, body: json };
}

describe('okta-bootstrap local serve', () => {
  let dir: string;
  let state: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'okb-serve-'));
    state = join(dir, 'tenant.json');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('two processes on one state file take concurrent writes; nothing is lost; SIGTERM stops them with exit 0', async () => {
    // 30 concurrent writes over two processes: no rate limits here (the default, developer, caps 15 at once)
    const [a, b] = await Promise.all([serve(['--state', state, '--log', '--rate-limits', 'none']), serve(['--state', state, '--rate-limits', 'none'])]);
    expect(b.token).toBe(a.token);
    const N = 30;
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) => api(i % 2 ? a : b, 'POST', '/api/v1/groups', { profile: { name: `proc-${i}` } })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(N).fill(200));
    const origins = await Promise.all(
      [0, 1, 2, 3].map((i) => api(i % 2 ? a : b, 'POST', '/api/v1/trustedOrigins', { name: `o${i}`, origin: `https://o${i}.example.com`, scopes: [{ type: 'CORS' }] })),
    );
    expect(origins.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    for (const s of [a, b]) expect((await api(s, 'GET', '/api/v1/groups?q=proc-')).body).toHaveLength(N);

    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    expect(await a.exit).toBe(0);
    expect(await b.exit).toBe(0);

    const saved = JSON.parse(await readFile(state, 'utf8')) as { groups: Record<string, { profile: { name: string } }>; trustedOrigins: object };
    const names = Object.values(saved.groups).map((g) => g.profile.name);
    for (let i = 0; i < N; i++) expect(names).toContain(`proc-${i}`);
    expect(Object.keys(saved.trustedOrigins)).toHaveLength(4);

    // --log: one line per request on stderr, never the token
    const lines = a.stderr().split('\n').filter((l) => / \/api\/v1\//.test(l));
    expect(lines.length).toBeGreaterThanOrEqual(N / 2);
    expect(lines[0]).toMatch(/^\S+ (GET|POST) \/api\/v1\/\S+ \d{3} [\d.]+ms/);
    expect(a.stderr()).not.toContain(a.token);
  });

  it('a restart keeps every object and the token; info prints them; reset empties the org', async () => {
    const c = await serve(['--state', state]);
    try {
      const before = JSON.parse(await readFile(state, 'utf8')) as { apiToken: string };
      expect(c.token).toBe(before.apiToken);
      const listed = await api(c, 'GET', '/api/v1/groups?q=proc-');
      expect(listed.body).toHaveLength(30);
      // serve's default rate limits are a developer org's (https://developer.okta.com/docs/reference/rl2-limits/): groups 100/min
      expect(listed.headers.get('x-rate-limit-limit')).toBe('100');
      const info = await runCli('okta-bootstrap', ['local', 'info', '--state', state]);
      expect(info.code, info.stderr).toBe(0);
      expect(info.stdout).toBe(`OKTA_TENANT=${c.orgUrl}\nOKTA_API_TOKEN=${c.token}\n`);
    } finally {
      c.child.kill('SIGINT');
      expect(await c.exit).toBe(0);
    }
    const reset = await runCli('okta-bootstrap', ['local', 'reset', '--state', state]);
    expect(reset.code, reset.stderr).toBe(0);
    const d = await serve(['--state', state]);
    try {
      expect(d.token).toBe(parseObject(await readFile(state, 'utf8')).apiToken);
      const groups = (await api(d, 'GET', '/api/v1/groups')).body as { profile: { name: string } }[];
      expect(groups.map((g) => g.profile.name)).toEqual(['Everyone']);
    } finally {
      d.child.kill('SIGTERM');
      await d.exit;
    }
  });

  it('bad flags exit 2; info without a state file exits 2', async () => {
    const bad = await runCli('okta-bootstrap', ['local', 'serve', '--port', 'abc', '--state', state]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--port/);
    const none = await runCli('okta-bootstrap', ['local', 'info', '--state', join(dir, 'missing.json')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no local tenant state/);
  });
});
