#!/usr/bin/env node
/**
 * Benchmark (not a test): authorised GET requests per second against the local tenant, built into dist/.
 *
 *   npm run build && node bench/tenant-rps.mjs [--seconds 5] [--clients 16] [--json]
 *
 * Starts the tenant the way a user does, `okta-bootstrap local serve` from dist/ (a separate process, with a
 * state file in a temp folder, rate limits off, no logging), seeds it with a few objects, then runs several
 * concurrent keep-alive clients (node:http Agent) in this process for the given time, alternating
 * GET /api/v1/groups/{id} and GET /api/v1/groups?limit=20 with `Authorization: SSWS <token>`.
 * Every response must be 200 (anything else is counted and reported). Prints the figure; the target on the
 * project's 2-core machine is ≥ 2,000 req/s, so the tenant never dominates bootstrap timings.
 */
import { Agent, request } from 'node:http';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(join(root, 'dist', 'local-tenant', 'index.js'))) {
  console.error('dist/ is missing: run "npm run build" first.');
  process.exit(2);
}

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const seconds = Number(arg('seconds', '5'));
const clients = Number(arg('clients', '16'));
const json = process.argv.includes('--json');

const dir = mkdtempSync(join(tmpdir(), 'okb-bench-'));
const server = spawn(process.execPath, [join(root, 'bin', 'okta-bootstrap.js'), 'local', 'serve', '--port', '0', '--state', join(dir, 'tenant.json'), '--rate-limits', 'none', '--quiet'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const ready = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.setEncoding('utf8').on('data', (d) => {
    out += d;
    const org = /OKTA_TENANT=(\S+)/.exec(out)?.[1];
    const token = /OKTA_API_TOKEN=(\S+)/.exec(out)?.[1];
    if (org && token) resolve({ orgUrl: org, apiToken: token });
  });
  server.on('exit', (code) => reject(new Error(`local serve exited with ${code} before it was ready`)));
});
const tenant = ready;
const url = new URL(tenant.orgUrl);
const agent = new Agent({ keepAlive: true, maxSockets: clients });
const headers = { authorization: `SSWS ${tenant.apiToken}`, accept: 'application/json' };

function send(method, path, body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      { agent, hostname: url.hostname, port: url.port, method, path, headers: payload ? { ...headers, 'content-type': 'application/json' } : headers },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

// A small org: 30 groups and 10 users, so the list and the get do real work.
let groupId;
for (let i = 0; i < 30; i++) {
  const r = await send('POST', '/api/v1/groups', { profile: { name: `bench group ${i}`, description: 'benchmark' } });
  groupId ??= JSON.parse(r.text).id;
}
for (let i = 0; i < 10; i++) {
  await send('POST', '/api/v1/users?activate=false', {
    profile: { firstName: 'Bench', lastName: `User${i}`, email: `bench${i}@example.com`, login: `bench${i}@example.com` },
  });
}

const paths = [`/api/v1/groups/${groupId}`, '/api/v1/groups?limit=20'];
let ok = 0;
let failed = 0;
const statuses = new Map();
const deadline = Date.now() + seconds * 1000;
const started = process.hrtime.bigint();
await Promise.all(
  Array.from({ length: clients }, async (_, c) => {
    let n = c;
    while (Date.now() < deadline) {
      const r = await send('GET', paths[n++ % paths.length]);
      if (r.status === 200) ok++;
      else {
        failed++;
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      }
    }
  }),
);
const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
agent.destroy();
server.kill('SIGTERM');
await new Promise((r) => server.on('exit', r));
rmSync(dir, { recursive: true, force: true });

const rps = Math.round(ok / elapsed);
if (json) {
  console.log(JSON.stringify({ bench: 'tenant-rps', requestsPerSecond: rps, ok, failed, seconds: Number(elapsed.toFixed(2)), clients }));
} else {
  console.log(`local tenant: ${rps} authorised GET req/s (${ok} ok, ${failed} failed, ${clients} keep-alive clients, ${elapsed.toFixed(1)} s; target ≥ 2000)`);
  if (failed) console.log(`non-200 statuses: ${JSON.stringify(Object.fromEntries(statuses))}`);
}
process.exitCode = failed ? 1 : 0;
