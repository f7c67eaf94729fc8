/**
 * register-client: the dynamic client registration call that Anypoint makes when an API is set up with
 * "OpenID Connect Dynamic Client Registration": POST {CLIENT_REGISTRATION_URL} with Authorization: SSWS …
 * It prints AUTHN_CLIENT_ID and AUTHN_CLIENT_SECRET, or merges them into .env with --write-env.
 */
import { join } from 'node:path';
import type { OktaCredentials } from '../core/config.js';
import { readEnvFile } from '../core/config.js';
import { ConfigError, OktaApiError, UsageError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { maskSecret } from '../core/mask.js';
import { latestOutputName, readOutputFile } from '../core/output-format.js';

export interface RegisterClientOptions {
  credentials: OktaCredentials;
  logger: Logger;
  name: string;
  redirectUri: string[];
  grantType: string[];
  registrationUrl?: string;
  outputDir: string;
  envFile?: string;
  writeEnv?: string | boolean;
  new?: boolean;
  showSecrets?: boolean;
  debug?: boolean;
}

interface DcrClient {
  client_id: string;
  client_secret?: string | null;
  client_name: string;
  redirect_uris?: string[];
  grant_types?: string[];
}

/** response_types that go with the requested grant types (RFC 7591 §2.1). */
export function responseTypesFor(grantTypes: string[]): string[] {
  const out: string[] = [];
  if (grantTypes.includes('authorization_code')) out.push('code');
  if (grantTypes.includes('implicit')) out.push('token', 'id_token');
  return out.length > 0 ? out : ['code'];
}

/**
 * The registration URL must be on the org itself: the SSWS token goes with the request,
 * and we never send it to another host.
 */
export function checkRegistrationUrl(raw: string, orgUrl: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`CLIENT_REGISTRATION_URL is not a URL: "${raw}"`);
  }
  if (url.origin !== new URL(orgUrl).origin) {
    throw new ConfigError(`CLIENT_REGISTRATION_URL ${url.origin} is not on the org ${orgUrl}; the API token is only sent to the org.`, {
      suggestion: `Use ${orgUrl}/oauth2/v1/clients, or point OKTA_TENANT at the org that owns the registration URL.`,
    });
  }
  return url;
}

async function defaultRegistrationUrl(opts: RegisterClientOptions): Promise<string> {
  if (opts.registrationUrl) return opts.registrationUrl;
  const out = await readOutputFile(join(opts.outputDir, latestOutputName('mulesoft')));
  const fromOutput = out?.values.CLIENT_REGISTRATION_URL;
  if (typeof fromOutput === 'string' && fromOutput !== '') return fromOutput;
  return `${opts.credentials.orgUrl}/oauth2/v1/clients`;
}

export async function registerClient(opts: RegisterClientOptions): Promise<{ clientId: string; clientSecret?: string; reused: boolean }> {
  const { createOktaClient, checkCredentials } = await import('../okta/client.js');
  const log = opts.logger;
  if (opts.redirectUri.length === 0) throw new UsageError('Give at least one --redirect-uri.');
  const grantTypes = opts.grantType.length > 0 ? opts.grantType : ['authorization_code'];
  const api = createOktaClient({ orgUrl: opts.credentials.orgUrl, token: opts.credentials.token, logger: log, debug: opts.debug });
  await checkCredentials(api);
  const regUrl = checkRegistrationUrl(await defaultRegistrationUrl(opts), opts.credentials.orgUrl);
  const envFile = typeof opts.writeEnv === 'string' ? opts.writeEnv : opts.envFile ?? '.env';

  // Re-running must not register a second client: reuse the one .env/environment already names, if it is live.
  const known = process.env.AUTHN_CLIENT_ID ?? readEnvFile(envFile).AUTHN_CLIENT_ID;
  const knownSecret = process.env.AUTHN_CLIENT_SECRET ?? readEnvFile(envFile).AUTHN_CLIENT_SECRET;
  if (known && !opts.new) {
    try {
      const existing = await api.request<DcrClient>('GET', `${regUrl.pathname}/${encodeURIComponent(known)}`);
      if (existing.body.client_name === opts.name) {
        log.info(`AUTHN_CLIENT_ID ${known} is already registered as "${opts.name}"; reusing it (pass --new for another).`);
        printResult(opts, known, knownSecret ?? undefined);
        return { clientId: known, clientSecret: knownSecret ?? undefined, reused: true };
      }
    } catch (e) {
      if (!(e instanceof OktaApiError && e.details.status === 404)) throw e;
    }
  }

  const body = {
    client_name: opts.name,
    redirect_uris: opts.redirectUri,
    // The sample app (`okta-bootstrap app`) sends the browser back to REDIRECT_URI after Okta's logout, which Okta
    // allows only for the client's post_logout_redirect_uris
    // (https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/CustomAS/#tag/CustomAS/operation/logoutCustomAS).
    post_logout_redirect_uris: opts.redirectUri,
    response_types: responseTypesFor(grantTypes),
    grant_types: grantTypes,
    token_endpoint_auth_method: 'client_secret_basic',
    application_type: 'web',
  };
  log.info(`POST ${regUrl.pathname} (dynamic client registration, as Anypoint does)`);
  const res = await api.request<DcrClient>('POST', regUrl.pathname, { body });
  const clientId = res.body.client_id;
  const clientSecret = res.body.client_secret ?? undefined;
  if (opts.writeEnv !== undefined && opts.writeEnv !== false) {
    const { mergeEnvFile } = await import('../settings/env-file.js');
    await mergeEnvFile(envFile, { AUTHN_CLIENT_ID: clientId, ...(clientSecret ? { AUTHN_CLIENT_SECRET: clientSecret } : {}) });
    log.info(`Wrote AUTHN_CLIENT_ID and AUTHN_CLIENT_SECRET to ${envFile} (mode 0600).`);
  }
  printResult(opts, clientId, clientSecret);
  return { clientId, clientSecret, reused: false };
}

function printResult(opts: RegisterClientOptions, clientId: string, secret: string | undefined): void {
  opts.logger.result(`AUTHN_CLIENT_ID=${clientId}`);
  if (secret) opts.logger.result(`AUTHN_CLIENT_SECRET=${opts.showSecrets ? secret : maskSecret(secret)}`);
}
