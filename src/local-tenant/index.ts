/**
 * The local Okta tenant: an Okta-compatible management API, dynamic client registration (and, from the OAuth
 * part, the OAuth endpoints) on localhost. See docs/internals.md "Local tenant".
 */
import { ConfigError } from '../core/errors.js';
import { DEFAULT_HOST, DEFAULT_PORT, startLocalTenant } from './server.js';
import { readStateFile } from './store.js';

export { startLocalTenant, buildTenantServer, DEFAULT_HOST, DEFAULT_PORT } from './server.js';
export { openStore, readStateFile, resetStateFile, initialState, type TenantStore } from './store.js';
export { verifyUserPassword, hashSecret, verifySecret } from './password.js';
export { oktaError, oauthError, validationError, notFound, OktaHttpError } from './errors.js';
export type { TenantContext } from './context.js';
export type { StepFactory, TenantStep } from './steps/index.js';
export type * from './types.js';

export const DEFAULT_STATE_PATH = '.okta-local/tenant.json';

export interface LocalTenantInfo {
  orgUrl: string;
  apiToken: string;
}

/** The org URL and API token recorded in a state file (no server needed); undefined when there is no file. */
export function readLocalTenantInfo(statePath: string = DEFAULT_STATE_PATH, port = DEFAULT_PORT, host = DEFAULT_HOST): LocalTenantInfo | undefined {
  const s = readStateFile(statePath);
  if (!s) return undefined;
  return { orgUrl: s.orgUrl ?? `http://${host}:${port}`, apiToken: s.apiToken };
}

export interface EnsuredTenant {
  orgUrl: string;
  apiToken: string;
  /** Stops the tenant if this call started it in-process; a no-op for a running `local serve`. */
  close(): Promise<void>;
  /** true when started in-process by this call. */
  embedded: boolean;
}

type Probe = 'ours' | 'other' | 'none';

/** Is a tenant serving `orgUrl` with `token`? One cheap authorised GET (the built-in Everyone group always exists). */
async function probe(orgUrl: string, token: string): Promise<Probe> {
  try {
    const res = await fetch(`${orgUrl}/api/v1/groups?limit=1`, {
      headers: { authorization: `SSWS ${token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(2000),
    });
    await res.arrayBuffer();
    return res.status === 200 ? 'ours' : 'other';
  } catch {
    return 'none';
  }
}

/**
 * The local tenant for a command: the `local serve` already running on this state file (at the address the state
 * records, or on host:port) with its token, or else one started in-process on host:port and that state file, so
 * URLs stay stable between commands.
 */
export async function ensureLocalTenant(opts: { statePath?: string; port?: number; host?: string } = {}): Promise<EnsuredTenant> {
  const statePath = opts.statePath ?? DEFAULT_STATE_PATH;
  const port = opts.port ?? DEFAULT_PORT;
  const host = opts.host ?? DEFAULT_HOST;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const orgUrl = `http://${urlHost}:${port}`;
  const running = async (): Promise<EnsuredTenant | undefined> => {
    const info = readLocalTenantInfo(statePath, port, host);
    if (!info) return undefined;
    // The state records where its server last listened: a `local serve --port N` elsewhere than the default is
    // found there. Then the default address, where this call would start one.
    if (info.orgUrl !== orgUrl && (await probe(info.orgUrl, info.apiToken)) === 'ours') {
      return { orgUrl: info.orgUrl, apiToken: info.apiToken, close: async () => {}, embedded: false };
    }
    const p = await probe(orgUrl, info.apiToken);
    if (p === 'ours') return { orgUrl, apiToken: info.apiToken, close: async () => {}, embedded: false };
    if (p === 'other') {
      throw new ConfigError(`Port ${port} is in use by something that does not accept the token in ${statePath}.`, {
        suggestion: `Stop that process, or run "okta-bootstrap local serve --state ${statePath} --port ${port}" with the matching state file.`,
      });
    }
    return undefined;
  };
  const found = await running();
  if (found) return found;
  try {
    const t = await startLocalTenant({ port, host, statePath });
    return { orgUrl: t.orgUrl, apiToken: t.apiToken, close: t.close, embedded: true };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      const again = await running(); // another command started one meanwhile
      if (again) return again;
      throw new ConfigError(`Port ${port} on ${host} is in use, so the local tenant cannot start there.`, {
        suggestion: 'Stop the process using it, or pass another port.',
      });
    }
    throw e;
  }
}
