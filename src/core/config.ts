/**
 * Credentials and environment: OKTA_TENANT + OKTA_API_TOKEN, also accepting the Okta SDK's
 * OKTA_CLIENT_ORGURL + OKTA_CLIENT_TOKEN. Precedence: process environment, then the .env file.
 */
import { isIPv4 } from 'node:net';
import { createRequire } from 'node:module';
import { BootstrapError, ConfigError } from './errors.js';
import { readTextFileSync } from './fs.js';

/** dotenv's parser, loaded on first use: `--help` and commands without a .env never pay for it (cold start). */
let dotenvParse: ((src: string) => Record<string, string>) | undefined;
function parseDotenv(src: string): Record<string, string> {
  dotenvParse ??= (createRequire(import.meta.url)('dotenv') as typeof import('dotenv')).parse;
  return dotenvParse(src);
}

export interface OktaCredentials {
  orgUrl: string;
  token: string;
  /** Where each came from, for messages ("environment", ".env", "local tenant"). */
  orgUrlSource: string;
  tokenSource: string;
  /**
   * Connect + response timeout of every request to the org, ms (default DEFAULT_REQUEST_TIMEOUT_MS).
   * From OKTA_BOOTSTRAP_REQUEST_TIMEOUT (environment or .env); the CLI's --request-timeout overrides it.
   */
  requestTimeoutMs?: number;
}

/** Default connect + response timeout of one request: generous, since Okta answers in well under a second. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * A duration such as "30s", "500ms", "10m", "1h" or a bare number of seconds, in ms; undefined when it is not one
 * (or not above 0). The same format as --max-wait and --request-timeout.
 */
export function parseDurationMs(raw: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(raw.trim());
  if (!m) return undefined;
  const ms = Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return ms > 0 && Number.isFinite(ms) ? Math.round(ms) : undefined;
}

export type EnvLike = Record<string, string | undefined>;

/**
 * Parses a dotenv file; a missing file is an empty map. Read with the bounded, UTF-8-checked reader: a file over
 * the size limit or with a byte that is not UTF-8 is an InputError (exit 2) naming where.
 */
export function readEnvFile(path: string): Record<string, string> {
  let text: string | undefined;
  try {
    text = readTextFileSync(path, { what: '.env file' });
  } catch (e) {
    if (e instanceof BootstrapError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(`Cannot read ${path}: ${(e as Error).message}`, { suggestion: 'Check the file named by --env-file.' });
  }
  return parseDotenv(text);
}

/**
 * The hosts plain http:// may be used with: `localhost`, IPv4 literals in 127.0.0.0/8 and `[::1]`. Only these
 * never leave the machine; a DNS name such as `127.evil.test` resolves wherever its owner wants. `hostname` is
 * as WHATWG URL gives it: lower-case, IPv4 normalised (`127.1` → `127.0.0.1`), IPv6 in brackets and compressed.
 */
export function isLocalHost(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]') return true;
  return isIPv4(hostname) && hostname.split('.')[0] === '127';
}

/** Why a URL may not be used to send credentials: not https, and plain http to a host that is not local. */
export function plainHttpProblem(url: URL): string | undefined {
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLocalHost(url.hostname)) return undefined;
  return url.protocol === 'http:'
    ? `plain http:// is accepted only for localhost, 127.0.0.0/8 addresses and [::1], not for ${url.hostname}`
    : `${url.protocol} is not http(s)`;
}

/**
 * Validates an org URL: https, or http only for localhost. Returns it without a trailing slash.
 * Okta org URLs have no path; a path such as /oauth2/default is a common mistake and is refused.
 */
export function normalizeOrgUrl(raw: string, source = 'OKTA_TENANT'): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigError(`${source} is not a URL: "${raw}"`, {
      suggestion: `Set ${source} to your org URL, e.g. https://dev-123456.okta.com (Okta Admin Console, top right menu).`,
    });
  }
  const problem = plainHttpProblem(url);
  if (problem) {
    throw new ConfigError(`${source} must use https:// (${problem}): "${raw}"`, {
      suggestion: `Use https://${url.host} (the API token is never sent in clear to another machine).`,
    });
  }
  if (url.pathname !== '/' && url.pathname !== '') {
    throw new ConfigError(`${source} must be the org URL without a path: "${raw}"`, {
      suggestion: `Use ${url.protocol}//${url.host} (not an issuer or API path).`,
    });
  }
  return `${url.protocol}//${url.host}`;
}

/** Reads and checks the credentials. Throws ConfigError (exit 2) naming what is missing and where to get it. */
export function readCredentials(env: EnvLike, dotenv: Record<string, string> = {}, dotenvName = '.env'): OktaCredentials {
  const pick = (...names: string[]): { value: string; source: string; name: string } | undefined => {
    for (const n of names) {
      const v = env[n];
      if (v !== undefined && v.trim() !== '') return { value: v.trim(), source: 'environment', name: n };
    }
    for (const n of names) {
      const v = dotenv[n];
      if (v !== undefined && v.trim() !== '') return { value: v.trim(), source: dotenvName, name: n };
    }
    return undefined;
  };
  const org = pick('OKTA_TENANT', 'OKTA_CLIENT_ORGURL');
  const token = pick('OKTA_API_TOKEN', 'OKTA_CLIENT_TOKEN');
  if (!org || !token) {
    const missing = [...(org ? [] : ['OKTA_TENANT']), ...(token ? [] : ['OKTA_API_TOKEN'])];
    throw new ConfigError(`Missing ${missing.join(' and ')}.`, {
      suggestion:
        (org ? '' : 'OKTA_TENANT is your org URL, e.g. https://dev-123456.okta.com (shown in the Okta Admin Console). ') +
        (token ? '' : 'OKTA_API_TOKEN is an API token: Admin Console → Security → API → Tokens → Create token. ') +
        `Put them in the environment or in ${dotenvName}, or run with --local to use the embedded local tenant.`,
    });
  }
  const timeout = pick(REQUEST_TIMEOUT_ENV);
  let requestTimeoutMs: number | undefined;
  if (timeout) {
    requestTimeoutMs = parseDurationMs(timeout.value);
    if (requestTimeoutMs === undefined) {
      throw new ConfigError(`${REQUEST_TIMEOUT_ENV} (from ${timeout.source}) is not a duration: "${timeout.value}".`, {
        suggestion: `Set ${REQUEST_TIMEOUT_ENV} to a duration such as 30s, 500ms or 2m, or remove it (default ${DEFAULT_REQUEST_TIMEOUT_MS / 1000} s).`,
      });
    }
  }
  return {
    orgUrl: normalizeOrgUrl(org.value, org.name),
    token: token.value,
    orgUrlSource: org.source,
    tokenSource: token.source,
    ...(requestTimeoutMs !== undefined ? { requestTimeoutMs } : {}),
  };
}

/** The environment / .env name of the request timeout (the CLI's --request-timeout wins over it). */
export const REQUEST_TIMEOUT_ENV = 'OKTA_BOOTSTRAP_REQUEST_TIMEOUT';
