/**
 * What the sample app needs, as `get-settings --mulesoft --write-env` writes it: AUTHN_CLIENT_ID,
 * AUTHN_CLIENT_SECRET, OKTA_AZ_SERVER_ISSUER, PROXY_URI, REDIRECT_URI (plus GATEWAY, and the scope names of the
 * run, SILVER_SCOPE_NAME and GOLD_SCOPE_NAME, from the output files). The access levels and the scope each
 * resource needs are built from those scope names, never hard-coded.
 */
import { ConfigError } from '../core/errors.js';

/** One access level of the page: a panel with a "Sign in" that requests `scopes`. */
export interface AccessLevel {
  /** "silver", "gold" */
  name: string;
  /** The scope this level adds (the one its rule grants and the lower level's does not). */
  scope: string;
  /** Every scope the level's sign-in requests: openid, the lower levels' scopes, its own. */
  scopes: string[];
}

/** A resource behind the gateway and the scopes the gateway requires for it. */
export interface ApiResource {
  /** "planets", "moons" */
  name: string;
  /** Path under PROXY_URI, e.g. "/planets". */
  path: string;
  /** The button's label. */
  label: string;
  needs: string[];
}

export interface AppConfig {
  clientId: string;
  clientSecret: string;
  issuer: string;
  proxyUri: string;
  redirectUri: string;
  gateway: string;
  levels: AccessLevel[];
  resources: ApiResource[];
}

export interface AppValues {
  AUTHN_CLIENT_ID?: string;
  AUTHN_CLIENT_SECRET?: string;
  OKTA_AZ_SERVER_ISSUER?: string;
  PROXY_URI?: string;
  REDIRECT_URI?: string;
  GATEWAY?: string;
  SILVER_SCOPE_NAME?: string;
  GOLD_SCOPE_NAME?: string;
}

export const REQUIRED_KEYS = ['AUTHN_CLIENT_ID', 'AUTHN_CLIENT_SECRET', 'OKTA_AZ_SERVER_ISSUER', 'PROXY_URI', 'REDIRECT_URI'] as const;

/** The levels: silver asks for openid + silver, gold for openid + silver + gold (as the original app did). */
export function accessLevels(silverScope: string, goldScope: string): AccessLevel[] {
  return [
    { name: 'silver', scope: silverScope, scopes: ['openid', silverScope] },
    { name: 'gold', scope: goldScope, scopes: ['openid', silverScope, goldScope] },
  ];
}

/** The resources of the solar-system API and their scopes, the map get-settings prints for the gateway. */
export function apiResources(policies: Record<string, string[]>): ApiResource[] {
  const needs = (key: string) => policies[key] ?? [];
  return [
    { name: 'planets', path: '/planets', label: 'Show me the planets', needs: needs('GET /planets') },
    { name: 'moons', path: '/moons', label: 'Show me the moons', needs: needs('GET /moons') },
  ];
}

function absoluteUrl(key: string, raw: string): string {
  try {
    const u = new URL(raw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
    return raw;
  } catch {
    throw new ConfigError(`${key} is not an http(s) URL: "${raw}".`, { key, suggestion: `Fix ${key} in .env, or run \`get-settings --mulesoft --write-env\` again.` });
  }
}

/**
 * The app's configuration from resolved values. A missing value names its key and the command that writes it
 * (ConfigError: exit 2). `hints` gives, per key, where the value itself comes from.
 */
export function appConfig(values: AppValues, opts: { envFile: string; hints?: Record<string, string>; gatewayPolicies: Record<string, string[]> }): AppConfig {
  const missing = REQUIRED_KEYS.filter((k) => !values[k]);
  if (missing.length > 0) {
    throw new ConfigError(`The app needs ${missing.join(', ')}, not found in the environment, ${opts.envFile} or the output files.`, {
      key: missing[0],
      errorCauses: missing.map((k) => `${k}: ${opts.hints?.[k] ?? `set ${k} in ${opts.envFile}`}`),
      suggestion: `\`get-settings --mulesoft --write-env\` writes them to ${opts.envFile}, once the commands above made them.`,
    });
  }
  const need = (k: (typeof REQUIRED_KEYS)[number]) => values[k] ?? '';
  const silver = opts.gatewayPolicies['GET /planets']?.[0] ?? values.SILVER_SCOPE_NAME;
  const gold = opts.gatewayPolicies['GET /moons']?.[0] ?? values.GOLD_SCOPE_NAME;
  if (!silver || !gold) throw new ConfigError('The app needs the silver and gold scope names (SILVER_SCOPE_NAME, GOLD_SCOPE_NAME).', { suggestion: 'Run `okta-bootstrap --mulesoft` (it records them in output/mulesoft.json).' });
  return {
    clientId: need('AUTHN_CLIENT_ID'),
    clientSecret: need('AUTHN_CLIENT_SECRET'),
    issuer: absoluteUrl('OKTA_AZ_SERVER_ISSUER', need('OKTA_AZ_SERVER_ISSUER')).replace(/\/+$/, ''),
    proxyUri: absoluteUrl('PROXY_URI', need('PROXY_URI')).replace(/\/+$/, ''),
    redirectUri: absoluteUrl('REDIRECT_URI', need('REDIRECT_URI')),
    gateway: values.GATEWAY ?? 'mulesoft',
    levels: accessLevels(silver, gold),
    resources: apiResources(opts.gatewayPolicies),
  };
}

/** The port the app listens on: REDIRECT_URI's (the browser comes back there), unless --port says otherwise. */
export function listenPort(redirectUri: string): number {
  const u = new URL(redirectUri);
  if (u.port) return Number(u.port);
  return u.protocol === 'https:' ? 443 : 80;
}
