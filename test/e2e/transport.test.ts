/**
 * The transport and input limits through the built CLI: a DNS name that only looks local is refused before any
 * connection (exit 2); an org that answers HTML is not taken for Okta (exit 1, no output file); input and .env
 * files that are not UTF-8 or too big are refused with where and why (exit 2), and nothing is sent.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const TOKEN = 'sSwS-e2e-transport-token-0123456789';
let dir: string;
let server: Server;
let port: number;
let connections = 0;
const seen: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'okb-transport-'));
  // Answers every request with a web page, as a mistyped OKTA_TENANT (a company site) would.
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Welcome</title><h1>Our products</h1>');
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function run(args: string[], env: Record<string, string>, outDir: string) {
  return runCli('okta-bootstrap', [...args, '--output-dir', outDir], { env: { OKTA_API_TOKEN: TOKEN, ...env }, cwd: dir, secrets: [TOKEN] });
}

describe('where the token may go', () => {
  it('http://127.evil.test is refused before any connection: exit 2, with the https:// to use', async () => {
    const before = connections;
    const out = join(dir, 'out-evil');
    const r = await run(['--mulesoft', '--yes', '--env-file', join(dir, 'none.env')], { OKTA_TENANT: `http://127.evil.test:${port}` }, out);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`OKTA_TENANT must use https:// (plain http:// is accepted only for localhost, 127.0.0.0/8 addresses and [::1], not for 127.evil.test): "http://127.evil.test:${port}"`);
    expect(r.stderr).toContain(`Use https://127.evil.test:${port}`);
    expect(connections).toBe(before);
    expect(existsSync(out)).toBe(false);
  });

  it('an org that answers HTML with 200: "does not look like an Okta org", exit 1, no output file', async () => {
    const out = join(dir, 'out-html');
    const r = await run(['--mulesoft', '--yes', '--env-file', join(dir, 'none.env')], { OKTA_TENANT: `http://127.0.0.1:${port}` }, out);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`http://127.0.0.1:${port} does not look like an Okta org: GET /api/v1/users?limit=1 answered 200 with text/html; charset=utf-8, not JSON`);
    expect(r.stderr).toMatch(/OKTA_TENANT/);
    expect(existsSync(join(out, 'mulesoft.json'))).toBe(false);
    expect(seen.at(-1)).toBe('GET /api/v1/users?limit=1');
  });
});

describe('input limits: exit 2, nothing sent', () => {
  it('an input file that is not UTF-8: the line and column of the first bad byte', async () => {
    const f = join(dir, 'latin1.json');
    await writeFile(f, Buffer.concat([Buffer.from('{\n  "GROUP": {"objType": "string", "default": "solar_'), Buffer.from([0xff, 0xfe]), Buffer.from('_planets"}\n}\n')]));
    const before = seen.length;
    const r = await run(['--input', f, '--yes', '--env-file', join(dir, 'none.env')], { OKTA_TENANT: `http://127.0.0.1:${port}` }, join(dir, 'out-latin1'));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(f);
    expect(r.stderr).toContain('(line 2, column 52): the input file is not UTF-8: byte 0xff at line 2, column 52 is not part of a UTF-8 character');
    expect(seen.length).toBe(before);
  });

  it('--input /dev/zero: "larger than 10 MB", at once', async () => {
    const started = Date.now();
    const r = await run(['--input', '/dev/zero', '--yes', '--env-file', join(dir, 'none.env')], { OKTA_TENANT: `http://127.0.0.1:${port}` }, join(dir, 'out-zero'));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('the input file is larger than 10 MB, the most okta-bootstrap reads');
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('a .env that is not UTF-8 or is /dev/zero', async () => {
    const env = join(dir, 'bad.env');
    await writeFile(env, Buffer.concat([Buffer.from('OKTA_TENANT=http://127.0.0.1:1\nOKTA_API_TOKEN=x'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const r = await runCli('okta-bootstrap', ['--mulesoft', '--yes', '--env-file', env, '--output-dir', join(dir, 'out-env')], { cwd: dir });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('the .env file is not UTF-8: byte 0xe9 at line 2, column 17');
    const z = await runCli('okta-bootstrap', ['--mulesoft', '--yes', '--env-file', '/dev/zero', '--output-dir', join(dir, 'out-env')], { cwd: dir });
    expect(z.code, z.stderr).toBe(2);
    expect(z.stderr).toContain('the .env file is larger than 10 MB');
  });
});
