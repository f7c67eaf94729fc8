/**
 * Credentials and environment: OKTA_TENANT + OKTA_API_TOKEN, also accepting the Okta SDK's
 * OKTA_CLIENT_ORGURL + OKTA_CLIENT_TOKEN. Precedence: process environment, then the .env file.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ConfigError } from './errors.js';

/** dotenv's parser, loaded on first use: `--help` and commands without a .env never pay for it (cold start). */
let dotenvParse: ((src: Buffer) => Record<string, string>) | undefined;
function parseDotenv(src: Buffer): Record<string, string> {
  dotenvParse ??= (createRequire(import.meta.url)('dotenv') as typeof import('dotenv')).parse;
  return dotenvParse(src);
}

export interface OktaCredentials {
  orgUrl: string;
  token: string;
  /** Where each came from, for messages ("environment", ".env", "local tenant"). */
  orgUrlSource: string;
  tokenSource: string;
  /** How long one HTTP request to Okta may take before it is abandoned (--request-timeout). */
  requestTimeoutMs?: number;
}

export type EnvLike = Record<string, string | undefined>;

/** Parses a dotenv file; a missing file is an empty map. */
export function readEnvFile(path: string): Record<string, string> {
  try {
    return parseDotenv(readFileSync(path));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(`Cannot read ${path}: ${(e as Error).message}`, { suggestion: 'Check the file named by --env-file.' });
  }
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLocalHost(hostname: string): boolean {
  return LOCAL_HOSTS.has(hostname) || hostname.startsWith('127.');
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
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLocalHost(url.hostname))) {
    throw new ConfigError(`${source} must use https:// (http:// is accepted only for localhost): "${raw}"`, {
      suggestion: `Use https://${url.host}`,
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
  const missing: string[] = [];
  if (!org) missing.push('OKTA_TENANT');
  if (!token) missing.push('OKTA_API_TOKEN');
  if (missing.length > 0) {
    throw new ConfigError(`Missing ${missing.join(' and ')}.`, {
      suggestion:
        (org ? '' : 'OKTA_TENANT is your org URL, e.g. https://dev-123456.okta.com (shown in the Okta Admin Console). ') +
        (token ? '' : 'OKTA_API_TOKEN is an API token: Admin Console → Security → API → Tokens → Create token. ') +
        `Put them in the environment or in ${dotenvName}, or run with --local to use the embedded local tenant.`,
    });
  }
  return {
    orgUrl: normalizeOrgUrl(org!.value, org!.name),
    token: token!.value,
    orgUrlSource: org!.source,
    tokenSource: token!.source,
  };
}
