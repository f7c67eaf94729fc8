/**
 * Where a command's Okta org comes from: the environment / .env (OKTA_TENANT + OKTA_API_TOKEN, or the SDK's
 * OKTA_CLIENT_ORGURL + OKTA_CLIENT_TOKEN), or with --local the embedded local tenant: the running
 * `local serve` if there is one, otherwise one started in-process on the same default port and state file.
 */
import { readCredentials, readEnvFile, type OktaCredentials } from '../core/config.js';

export const DEFAULT_LOCAL_STATE = '.okta-local/tenant.json';
export const DEFAULT_LOCAL_PORT = 7777;

export interface ResolvedOrg {
  credentials: OktaCredentials;
  /** Stops an in-process local tenant, if this command started one. */
  close(): Promise<void>;
  local: boolean;
}

export interface OrgOptions {
  local?: boolean;
  envFile?: string;
  localState?: string;
  localPort?: number;
}

export async function resolveOrg(opts: OrgOptions, log?: (msg: string) => void): Promise<ResolvedOrg> {
  if (opts.local) {
    const { ensureLocalTenant } = await import('../local-tenant/index.js');
    const t = await ensureLocalTenant({
      statePath: opts.localState ?? DEFAULT_LOCAL_STATE,
      port: opts.localPort ?? DEFAULT_LOCAL_PORT,
      host: '127.0.0.1',
    });
    log?.(
      t.embedded
        ? `Local tenant started in-process at ${t.orgUrl} (state ${opts.localState ?? DEFAULT_LOCAL_STATE}).`
        : `Using the running local tenant at ${t.orgUrl}.`,
    );
    return {
      credentials: { orgUrl: t.orgUrl, token: t.apiToken, orgUrlSource: 'local tenant', tokenSource: 'local tenant' },
      close: () => t.close(),
      local: true,
    };
  }
  const envFile = opts.envFile ?? '.env';
  const credentials = readCredentials(process.env, readEnvFile(envFile), envFile);
  return { credentials, close: async () => {}, local: false };
}
