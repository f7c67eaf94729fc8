/**
 * `okta-bootstrap gateway --mulesoft` as a person runs it (built CLI, default policies from dist/), and
 * `verify --mulesoft` with PROXY_URI pointing at it: the matrix then runs against that gateway.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli, type CliResult } from '../support/cli.js';
import { setUpMulesoft, tokenOf, type MulesoftSetup } from '../support/mulesoft-setup.js';

let s: MulesoftSetup;

beforeAll(async () => {
  s = await setUpMulesoft();
}, 120_000);

afterAll(async () => {
  await s?.close();
});

interface Running {
  url: string;
  stop(): Promise<CliResult>;
}

/** Starts the gateway CLI on a free port; resolves once it listens, with stop() sending SIGTERM. */
function runGateway(args: string[] = []): Promise<Running> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    let resolved = false;
    const done = runCli('okta-bootstrap', ['gateway', '--mulesoft', '--port', '0', ...args, '--output-dir', s.outputDir, '--env-file', s.envFile], {
      env: s.env,
      cwd: s.dir,
      timeoutMs: 30_000,
      secrets: [String(s.mulesoft.INTROSPECT_CLIENT_SECRET), s.authnClientSecret],
      onSpawn: (child) => {
        child.stderr!.on('data', (d: Buffer) => {
          stderr += d.toString();
          const m = /Gateway listening on (http:\/\/\S+)/.exec(stderr);
          if (m && !resolved) {
            resolved = true;
            resolve({
              url: m[1] ?? '',
              stop: () => {
                child.kill('SIGTERM');
                return done;
              },
            });
          }
        });
      },
    });
    done.then((r) => {
      if (!resolved) reject(new Error(`gateway exited (${r.code}) before listening:\n${r.stderr}`));
    }, reject);
  });
}

describe('okta-bootstrap gateway --mulesoft', () => {
  it('enforces the default policies (shipped in dist/), logs a line per request on stdout, and stops cleanly on SIGTERM', async () => {
    const silver = tokenOf(await s.dance('silver'));
    const gw = await runGateway();
    const planets = await fetch(`${gw.url}/planets`, { headers: { Authorization: `Bearer ${silver}` } });
    expect(planets.status).toBe(200);
    const moons = await fetch(`${gw.url}/moons`, { headers: { Authorization: `Bearer ${silver}` } });
    expect(moons.status).toBe(403);
    expect(((await moons.json()) as { error: string }).error).toBe('insufficient_scope');
    expect((await fetch(`${gw.url}/moons`)).status).toBe(400);
    const r = await gw.stop();
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^GET /planets 200 user=\\S+ client=${s.authnClientId} scopes="openid http://myapp.com/scp/silver" ALLOW`));
    expect(lines[1]).toMatch(/^GET \/moons 403 .* DENY: insufficient scope/);
    expect(lines[2]).toMatch(/^GET \/moons 400 user=- client=- scopes="-" DENY/);
    expect(r.stderr).toContain(`allowed client: ${s.authnClientId}`);
    expect(r.stderr).toContain('Gateway stopped.');
  });

  it('--policies FILE replaces the map; bad usage and missing values exit 2 with a reason', async () => {
    const file = join(s.dir, 'policies.json');
    await writeFile(file, JSON.stringify({ 'GET /planets': ['http://myapp.com/scp/gold'] }));
    const silver = tokenOf(await s.dance('silver'));
    const gw = await runGateway(['--policies', file]);
    expect((await fetch(`${gw.url}/planets`, { headers: { Authorization: `Bearer ${silver}` } })).status).toBe(403);
    expect((await gw.stop()).code).toBe(0);

    await writeFile(file, '{"planets": "gold"}');
    const bad = await s.cli(['gateway', '--mulesoft', '--port', '0', '--policies', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a valid policies file.*METHOD \/path/);
    const noFlow = await s.cli(['gateway']);
    expect(noFlow.code).toBe(2);
    expect(noFlow.stderr).toContain('--mulesoft');
    const empty = join(s.dir, 'empty');
    const missing = await runCli('okta-bootstrap', ['gateway', '--mulesoft', '--port', '0', '--output-dir', empty, '--env-file', s.envFile], { env: s.env, cwd: s.dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/The gateway needs TOKEN_INTROSPECTION_URL, INTROSPECT_CLIENT_ID, INTROSPECT_CLIENT_SECRET/);
  });
});

describe('verify --mulesoft with PROXY_URI', () => {
  it('runs the access matrix against the gateway PROXY_URI names', async () => {
    const gw = await runGateway();
    try {
      const r = await s.cli(['verify', '--mulesoft', '--json'], { PROXY_URI: gw.url });
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as { gateway: string; checks: { id: string; status: string }[] };
      expect(report.gateway).toBe(`PROXY_URI ${gw.url} (from environment)`);
      expect(report.checks.filter((c) => c.id.startsWith('gateway.')).map((c) => c.status)).toEqual(Array(6).fill('pass'));
    } finally {
      const stopped = await gw.stop();
      // the matrix's requests went through this gateway: 4 with tokens, 2 without
      expect(stopped.stdout.trim().split('\n')).toHaveLength(6);
    }
  });

  it('a PROXY_URI nobody listens on fails the matrix with a cause and a fix', async () => {
    const r = await s.cli(['verify', '--mulesoft', '--json'], { PROXY_URI: 'http://127.0.0.1:9' });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { checks: { id: string; status: string; cause?: string; fix?: string }[] };
    const rows = report.checks.filter((c) => c.id.startsWith('gateway.'));
    expect(rows.map((c) => c.status)).toEqual(Array(6).fill('fail'));
    expect(rows[0]!.cause).toMatch(/the gateway http:\/\/127\.0\.0\.1:9 cannot be reached/);
    expect(rows[0]!.fix).toContain('okta-bootstrap gateway --mulesoft');
    expect(report.checks.filter((c) => !c.id.startsWith('gateway.')).every((c) => c.status === 'pass')).toBe(true);
  });
});
