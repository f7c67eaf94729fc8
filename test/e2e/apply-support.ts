/**
 * Shared by the apply-*.test.ts end-to-end tests: a local tenant on port 0, a temp folder for outputs,
 * the built CLI pointed at both, and helpers to read the tenant's request log and the org (through the SDK).
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anypointDcrBody } from '../support/anypoint.js';
import { startLocalTenant } from '../../src/local-tenant/index.js';
import { ROOT, runCli, type CliOptions, type CliResult } from '../support/cli.js';
import { orgSnapshot, sdkClient, type OrgSnapshot } from '../support/org.js';

export type Tenant = Awaited<ReturnType<typeof startLocalTenant>>;
export const LEGACY = join(ROOT, 'test', 'fixtures', 'legacy-inputs');

export interface Env {
  tenant: Tenant;
  dir: string;
  out: string;
  env: Record<string, string>;
  cli(args: string[], opts?: CliOptions): Promise<CliResult>;
  snapshot(): Promise<OrgSnapshot>;
  output(name: string): Promise<Record<string, unknown> & { '$okta-bootstrap': OutputMetaLike }>;
  /** Requests the tenant received since `mark` that change something. */
  writesSince(mark: number): string[];
  registerClient(name: string, redirectUri: string): Promise<string>;
  close(): Promise<void>;
}

export interface OutputMetaLike {
  input: string;
  status: string;
  dataSources: string[];
  objects: Record<string, { objectClass: string; state: string; id?: string; adopted?: boolean }>;
}

export async function startEnv(opts: { failRate?: number; seed?: number; statePath?: string; latencyMs?: number } = {}): Promise<Env> {
  const tenant = await startLocalTenant({ port: 0, rateLimits: 'none', specCheck: true, latencyMs: 0, ...opts });
  const dir = await mkdtemp(join(tmpdir(), 'okb-apply-'));
  const out = join(dir, 'output');
  // Node 20 reads `--env-file FILE` even after the script name and exits 9 when FILE is missing
  await writeFile(join(dir, '.env'), '', { mode: 0o600 });
  const env = { OKTA_TENANT: tenant.orgUrl, OKTA_API_TOKEN: tenant.apiToken };
  return {
    tenant,
    dir,
    out,
    env,
    cli: (args, o = {}) =>
      runCli('okta-bootstrap', [...args, '--output-dir', out, '--env-file', join(dir, '.env')], { env, cwd: dir, ...o }),
    snapshot: () => orgSnapshot(sdkClient(tenant.orgUrl, tenant.apiToken)),
    output: async (name) => JSON.parse(await readFile(join(out, `${name}.json`), 'utf8')) as Awaited<ReturnType<Env['output']>>,
    writesSince: (mark) => tenant.requestLog.slice(mark).filter((e) => e.method !== 'GET').map((e) => `${e.method} ${e.path} ${e.status}`),
    async registerClient(name, redirectUri) {
      // Anypoint's step: dynamic client registration, straight to the tenant
      const res = await fetch(`${tenant.orgUrl}/oauth2/v1/clients`, {
        method: 'POST',
        headers: { Authorization: `SSWS ${tenant.apiToken}`, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(anypointDcrBody(name, redirectUri)),
      });
      if (res.status !== 201) throw new Error(`DCR failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { client_id: string }).client_id;
    },
    close: () => tenant.close(),
  };
}

/** The org with generated user names replaced by their groups, so two runs can be compared. */
export function shape(s: OrgSnapshot) {
  return {
    servers: s.servers.map((x) => ({ ...x, id: x.isDefault ? 'default' : 'custom', policies: x.policies.map((p) => ({ ...p, clients: p.clients.length })) })),
    groups: s.groups.map((g) => ({ name: g.name, type: g.type, members: g.members.length })),
    users: s.users.map((u) => ({ status: u.status, groups: u.groups })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    apps: s.apps.map((a) => ({ label: a.label, status: a.status, groups: a.groups, redirectUris: a.redirectUris })),
    trustedOrigins: s.trustedOrigins,
  };
}

export function expectOk(r: CliResult): CliResult {
  if (r.code !== 0) throw new Error(`exit ${r.code} ${r.signal ?? ''}\n${r.stderr}\n${r.stdout}`);
  return r;
}
