/**
 * Where a command's Okta org comes from: the environment / .env (OKTA_TENANT + OKTA_API_TOKEN, or the SDK's
 * OKTA_CLIENT_ORGURL + OKTA_CLIENT_TOKEN), or with --local the embedded local tenant: the running
 * `local serve` if there is one, otherwise one started in-process on the same default port and state file.
 * Also the flags that choose it (--local, --env-file, --request-timeout), shared by every command that talks to Okta.
 */
import { Option, type Command } from 'commander';
import { readCredentials, readEnvFile, type OktaCredentials } from '../core/config.js';
import { DEFAULT_REQUEST_TIMEOUT, type OrgOptionValues } from './options.js';

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
  /** --request-timeout, in ms: carried in the credentials to the Okta client. */
  requestTimeoutMs?: number;
}

export async function resolveOrg(opts: OrgOptions, log?: (msg: string) => void): Promise<ResolvedOrg> {
  const timeout = opts.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: opts.requestTimeoutMs };
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
      credentials: { orgUrl: t.orgUrl, token: t.apiToken, orgUrlSource: 'local tenant', tokenSource: 'local tenant', ...timeout },
      close: () => t.close(),
      local: true,
    };
  }
  const envFile = opts.envFile ?? '.env';
  const credentials = { ...readCredentials(process.env, readEnvFile(envFile), envFile), ...timeout };
  return { credentials, close: async () => {}, local: false };
}

/** Adds --request-timeout (every command that sends requests to Okta). */
export function addRequestTimeoutFlag(cmd: Command): Command {
  // No commander default: an unset flag leaves OKTA_BOOTSTRAP_REQUEST_TIMEOUT (environment or .env) in force.
  return cmd.option('--request-timeout <duration>', `Abandon one request to Okta after this long, e.g. 90s or 2m (default ${DEFAULT_REQUEST_TIMEOUT} or OKTA_BOOTSTRAP_REQUEST_TIMEOUT)`);
}

/** Adds --local, --local-state (hidden), --env-file and --request-timeout. */
export function addOrgFlags(cmd: Command, envFileHelp = 'Dotenv file with OKTA_TENANT, OKTA_API_TOKEN and other values (default .env)'): Command {
  cmd
    .option('--local', 'Use the embedded local Okta tenant (no Okta account needed)')
    .addOption(new Option('--local-state <file>', 'Local tenant state file').default(DEFAULT_LOCAL_STATE).hideHelp())
    .option('--env-file <file>', envFileHelp, '.env');
  return addRequestTimeoutFlag(cmd);
}

/** The API tokens of this process's runs: the error renderer scrubs them from anything it prints. */
const secretsToHide: string[] = [];
export function orgSecrets(): string[] {
  return [...secretsToHide, process.env.OKTA_API_TOKEN ?? '', process.env.OKTA_CLIENT_TOKEN ?? ''];
}

/** Runs `fn` with the org resolved (env/.env or --local), closing an in-process local tenant afterwards. */
export async function withOrg<T>(opts: OrgOptionValues, log: (m: string) => void, fn: (org: ResolvedOrg) => Promise<T>): Promise<T> {
  const org = await resolveOrg(
    { local: opts.local, envFile: opts.envFile, localState: opts.localState, localPort: DEFAULT_LOCAL_PORT, requestTimeoutMs: opts.requestTimeout },
    log,
  );
  secretsToHide.push(org.credentials.token);
  try {
    return await fn(org);
  } finally {
    await org.close();
  }
}
