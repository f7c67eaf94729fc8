/**
 * get-settings profiles: which values a person copies where, and where each value comes from.
 *
 * Sources, first found wins (an environment value wins over the output file):
 *   1. the local tenant's state file (--local; OKTA_TENANT and the API token only)
 *   2. the process environment
 *   3. the .env file (--env-file)
 *   4. the output files in --output-dir (`mulesoft.json`, then `mulesoft_policy.json`), flat KEY -> value
 *      (before 2 and 3 for a value the run read from an object, such as the issuer: see `fromObjects`)
 *   5. a value derived from others (e.g. TOKEN_URL = issuer + /v1/token, SILVER_USERNAME = SILVER_USER.profile.login)
 *   6. a default (GATEWAY, PROXY_URI)
 * The API token is read from 1-3 only: output files never hold it. Environment and .env follow the one rule of
 * src/resolve/sources.ts (an empty value there is not set).
 *
 * Pure: values in, settings out. Reading the files is src/settings/load.ts's job. It must never import the Okta SDK
 * or inquirer (a test checks get-settings' module graph).
 */
import { join } from 'node:path';
import type { EnvLike } from '../core/config.js';
import { isSecretName } from '../core/mask.js';
import type { OutputFile } from '../core/output-format.js';
import { latestOutputName } from '../core/output-names.js';
import { valueAtPath } from '../core/json.js';
import { lookupValue } from '../resolve/sources.js';
import { DEFAULT_SCOPES, resourceScopes } from '../gateway/resources.js';

export type SettingsProfileName = 'mulesoft_introspect' | 'mulesoft';
export const PROFILE_NAMES: readonly SettingsProfileName[] = ['mulesoft_introspect', 'mulesoft'];

/**
 * GATEWAY defaults to "mulesoft": these profiles are MuleSoft's, and the sample app picks its gateway-specific
 * behaviour by this name. PROXY_URI (the gateway's URL the app calls) defaults to the local gateway
 * (`okta-bootstrap gateway`), so the sequence works end to end locally; with Anypoint, set PROXY_URI to the API
 * proxy's URL (env or .env). Neither is ever reported missing.
 */
export const DEFAULT_GATEWAY = 'mulesoft';
export const DEFAULT_PROXY_URI = 'http://localhost:8081';
export const DEFAULT_SILVER_SCOPE = DEFAULT_SCOPES.silver;
export const DEFAULT_GOLD_SCOPE = DEFAULT_SCOPES.gold;

export interface LocalTenantValues {
  file: string;
  orgUrl?: string;
  apiToken?: string;
}

export interface SettingsSources {
  env: EnvLike;
  dotenv: Record<string, string>;
  /** The .env file's name as given, for messages. */
  dotenvName: string;
  outputDir: string;
  /** Output files by input name (absent when the file does not exist). */
  outputs: Record<string, OutputFile | undefined>;
  local?: LocalTenantValues;
  /**
   * Keys the outputs' inputs read from their objects (src/resolve/sources.ts keysFromObjectsIn): the output file
   * gives them before the environment and .env, which may still hold an earlier object's value (a .env written
   * by `--write-env` before a destroy and a fresh run). A different value there is reported (`ignored`).
   */
  fromObjects?: Set<string>;
}

/** A value of the environment or .env that was not used: the output file's, read from the object, won. */
export interface IgnoredSetting {
  key: string;
  /** "environment" or the .env file's name. */
  source: string;
  value: string;
  /** The value used, and the output file it comes from. */
  used: string;
  usedSource: string;
}

export interface SettingValue {
  key: string;
  /** Anypoint's form label (mulesoft_introspect) or the .env key. */
  label: string;
  value: string;
  /** "environment", ".env", "output/mulesoft.json", "local tenant", "derived", "default". */
  source: string;
  secret: boolean;
  /** The API token: never printed (always masked), never written. */
  token: boolean;
  /** How a secret object shows masked (its secret fields only); a secret string shows as ********. */
  masked?: string;
}

export interface MissingSetting {
  key: string;
  label: string;
  hint: string;
}

export interface SettingsResult {
  /** A profile name, or an input's name for its generic profile (src/settings/generic.ts). */
  profile: string;
  title: string;
  values: SettingValue[];
  missing: MissingSetting[];
  /** Every key of the profile in display order (found or missing). */
  order: string[];
  /** Environment or .env values not used for keys read from objects (reported by get-settings). */
  ignored?: IgnoredSetting[];
  /** mulesoft: the resource → scopes map an admin enters in Anypoint's policy. */
  gatewayPolicies?: Record<string, string[]>;
  gatewayPoliciesSource?: string;
}

/** The output files each profile reads, in order of precedence. */
export function outputsFor(profile: SettingsProfileName): string[] {
  return profile === 'mulesoft' ? ['mulesoft_policy', 'mulesoft'] : ['mulesoft'];
}

interface Found {
  value: string;
  source: string;
}

function nonEmpty(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}


/** Looks values up across the sources in precedence order. */
class Lookup {
  readonly ignored = new Map<string, IgnoredSetting>();

  constructor(
    private readonly src: SettingsSources,
    private readonly outputOrder: string[],
  ) {}

  /** environment, then .env, under any of `names`. */
  fromEnv(names: string[]): Found | undefined {
    const { env, dotenv, dotenvName } = this.src;
    const f = lookupValue({ set: {}, env, dotenv, envFile: dotenvName }, names);
    return f && { value: f.value, source: f.source === 'env' ? 'environment' : dotenvName };
  }

  /** A value at `path` inside the output files (first file that has it). */
  fromOutputs(key: string, path: (string | number)[] = []): Found | undefined {
    for (const name of this.outputOrder) {
      const out = this.src.outputs[name];
      const v = nonEmpty(valueAtPath(out?.values[key], path));
      if (v !== undefined) return { value: v, source: join(this.src.outputDir, latestOutputName(name)) };
    }
    return undefined;
  }

  /**
   * env, .env, then the output files (`saved`: where in them, by default under `key`); for a key read from an
   * object, the output files first.
   */
  get(key: string, aliases: string[] = [], saved: () => Found | undefined = () => this.fromOutputs(key)): Found | undefined {
    return outputFirst(this.src, key, () => this.fromEnv([key, ...aliases]), saved, this.ignored);
  }

  /** `key` as `get` finds it, else inside the object the output saved whole (`objectKey` at `path`). */
  getOr(key: string, objectKey: string, path: (string | number)[]): Found | undefined {
    return this.get(key, [], () => this.fromOutputs(key) ?? this.fromOutputs(objectKey, path));
  }

  orgUrl(): Found | undefined {
    const local = this.src.local?.orgUrl;
    if (local) return { value: local, source: 'local tenant' };
    return this.get('OKTA_TENANT', ['OKTA_CLIENT_ORGURL']);
  }

  apiToken(): Found | undefined {
    const local = this.src.local?.apiToken;
    if (local) return { value: local, source: 'local tenant' };
    return this.fromEnv(['OKTA_API_TOKEN', 'OKTA_CLIENT_TOKEN']);
  }

  issuer(): Found | undefined {
    const direct = this.getOr('OKTA_AZ_SERVER_ISSUER', 'OKTA_AZ_SERVER', ['issuer']);
    if (direct) return direct;
    const org = this.orgUrl();
    const id = this.getOr('OKTA_AZ_SERVER_ID', 'OKTA_AZ_SERVER', ['id']);
    return org && id ? { value: `${stripSlash(org.value)}/oauth2/${id.value}`, source: 'derived' } : undefined;
  }
}

/**
 * The rule of src/settings for one key: a key read from an object (`src.fromObjects`) is the output file's when
 * it has one, and a different environment or .env value is kept in `ignored`; any other key is env's or .env's
 * first. `fromEnv` and `fromOutput` look the key up.
 */
export function outputFirst<F extends Found>(
  src: Pick<SettingsSources, 'fromObjects'>,
  key: string,
  fromEnv: () => F | undefined,
  fromOutput: () => F | undefined,
  ignored: Map<string, IgnoredSetting>,
): F | undefined {
  if (!src.fromObjects?.has(key)) return fromEnv() ?? fromOutput();
  const out = fromOutput();
  const env = fromEnv();
  if (out === undefined) return env;
  if (env !== undefined && env.value !== out.value) ignored.set(key, { key, source: env.source, value: env.value, used: out.value, usedSource: out.source });
  return out;
}

function stripSlash(u: string): string {
  return u.replace(/\/+$/, '');
}

function derived(base: Found | undefined, suffix: string): Found | undefined {
  return base ? { value: `${stripSlash(base.value)}${suffix}`, source: 'derived' } : undefined;
}

interface SettingDef {
  key: string;
  label: string;
  find(l: Lookup): Found | undefined;
  hint: string;
  token?: boolean;
}

function hints(src: SettingsSources, lookup: Lookup) {
  const out = (name: string) => join(src.outputDir, latestOutputName(name));
  const envName = src.dotenvName;
  const redirect = lookup.get('REDIRECT_URI')?.value ?? '<REDIRECT_URI>';
  return {
    bootstrap: (key: string) => `run \`okta-bootstrap --mulesoft\` (it writes ${out('mulesoft')}) or set ${key} in ${envName}`,
    token:
      `set OKTA_API_TOKEN in the environment or ${envName} (Okta Admin Console → Security → API → Tokens), ` +
      'or pass --local for the embedded local tenant',
    org: `run \`okta-bootstrap --mulesoft\` (it writes ${out('mulesoft')}) or set OKTA_TENANT in ${envName}`,
    authn: (key: string) =>
      `run \`okta-bootstrap register-client --name "Solar System Auth" --redirect-uri ${redirect} --write-env\` ` +
      `(or register the client in Anypoint and copy its values) or set ${key} in ${envName}`,
  };
}

function introspectDefs(h: ReturnType<typeof hints>): SettingDef[] {
  return [
    { key: 'OKTA_AZ_SERVER_ISSUER', label: 'Issuer', find: (l) => l.issuer(), hint: h.bootstrap('OKTA_AZ_SERVER_ISSUER') },
    {
      key: 'CLIENT_REGISTRATION_URL',
      label: 'Client Registration URL',
      find: (l) => l.get('CLIENT_REGISTRATION_URL') ?? derived(l.orgUrl(), '/oauth2/v1/clients'),
      hint: h.org,
    },
    {
      key: 'AUTHORIZATION_HEADER',
      label: 'Authorization Header',
      find: (l) => {
        const t = l.apiToken();
        return t ? { value: `SSWS ${t.value}`, source: t.source } : undefined;
      },
      hint: h.token,
      token: true,
    },
    {
      key: 'INTROSPECT_CLIENT_ID',
      label: 'Token Introspection Client ID',
      find: (l) => l.getOr('INTROSPECT_CLIENT_ID', 'INTROSPECT_CLIENT', ['client_id']),
      hint: h.bootstrap('INTROSPECT_CLIENT_ID'),
    },
    {
      key: 'INTROSPECT_CLIENT_SECRET',
      label: 'Token Introspection Client Secret',
      find: (l) => l.getOr('INTROSPECT_CLIENT_SECRET', 'INTROSPECT_CLIENT', ['client_secret']),
      hint: h.bootstrap('INTROSPECT_CLIENT_SECRET'),
    },
    { key: 'AUTHORIZE_URL', label: 'Authorize URL', find: (l) => l.get('AUTHORIZE_URL') ?? derived(l.issuer(), '/v1/authorize'), hint: h.bootstrap('AUTHORIZE_URL') },
    { key: 'TOKEN_URL', label: 'Token URL', find: (l) => l.get('TOKEN_URL') ?? derived(l.issuer(), '/v1/token'), hint: h.bootstrap('TOKEN_URL') },
    {
      key: 'TOKEN_INTROSPECTION_URL',
      label: 'Token Introspection URL',
      find: (l) => l.get('TOKEN_INTROSPECTION_URL') ?? derived(l.issuer(), '/v1/introspect'),
      hint: h.bootstrap('TOKEN_INTROSPECTION_URL'),
    },
  ];
}

function userDefs(level: 'SILVER' | 'GOLD', h: ReturnType<typeof hints>): SettingDef[] {
  const user = `${level}_USER`;
  return [
    {
      key: `${level}_USERNAME`,
      label: `${level}_USERNAME`,
      find: (l) => l.getOr(`${level}_USERNAME`, user, ['profile', 'login']),
      hint: h.bootstrap(`${level}_USERNAME`),
    },
    {
      key: `${level}_PASSWORD`,
      label: `${level}_PASSWORD`,
      find: (l) => l.getOr(`${level}_PASSWORD`, user, ['credentials', 'password', 'value']),
      hint: h.bootstrap(`${level}_PASSWORD`),
    },
  ];
}

function appDefs(h: ReturnType<typeof hints>): SettingDef[] {
  const simple = (key: string): SettingDef => ({ key, label: key, find: (l) => l.get(key), hint: h.bootstrap(key) });
  return [
    { key: 'OKTA_TENANT', label: 'OKTA_TENANT', find: (l) => l.orgUrl(), hint: h.org },
    {
      key: 'AUTHN_CLIENT_ID',
      label: 'AUTHN_CLIENT_ID',
      // The policy output names the client it grants access to: ACCESS_POLICY.conditions.clients.include[0].
      find: (l) => l.get('AUTHN_CLIENT_ID') ?? l.fromOutputs('ACCESS_POLICY', ['conditions', 'clients', 'include', 0]),
      hint: h.authn('AUTHN_CLIENT_ID'),
    },
    { key: 'AUTHN_CLIENT_SECRET', label: 'AUTHN_CLIENT_SECRET', find: (l) => l.get('AUTHN_CLIENT_SECRET'), hint: h.authn('AUTHN_CLIENT_SECRET') },
    { key: 'OKTA_AZ_SERVER_ISSUER', label: 'OKTA_AZ_SERVER_ISSUER', find: (l) => l.issuer(), hint: h.bootstrap('OKTA_AZ_SERVER_ISSUER') },
    {
      key: 'PROXY_URI',
      label: 'PROXY_URI',
      find: (l) => l.get('PROXY_URI') ?? { value: DEFAULT_PROXY_URI, source: 'default' },
      hint: '',
    },
    simple('PORT'),
    simple('REDIRECT_URI'),
    ...userDefs('SILVER', h),
    ...userDefs('GOLD', h),
    { key: 'GATEWAY', label: 'GATEWAY', find: (l) => l.get('GATEWAY') ?? { value: DEFAULT_GATEWAY, source: 'default' }, hint: '' },
  ];
}

const TITLES: Record<SettingsProfileName, string> = {
  mulesoft_introspect: 'Anypoint: Access Management → Client Providers → OpenID Connect Dynamic Client Registration',
  mulesoft: "The app's .env",
};

/** Resolves every value of a profile; missing values are listed with where to get them. */
export function resolveSettings(profile: SettingsProfileName, src: SettingsSources): SettingsResult {
  const lookup = new Lookup(src, outputsFor(profile));
  const h = hints(src, lookup);
  const defs = profile === 'mulesoft_introspect' ? introspectDefs(h) : appDefs(h);
  const values: SettingValue[] = [];
  const missing: MissingSetting[] = [];
  for (const d of defs) {
    const f = d.find(lookup);
    if (f) values.push({ key: d.key, label: d.label, value: f.value, source: f.source, secret: d.token === true || isSecretName(d.key), token: d.token === true });
    else missing.push({ key: d.key, label: d.label, hint: d.hint });
  }
  const result: SettingsResult = { profile, title: TITLES[profile], values, missing, order: defs.map((d) => d.key), ignored: [...lookup.ignored.values()] };
  if (profile === 'mulesoft') {
    // The resource → scopes map for Anypoint's policy, from the scope names the run used (src/gateway/resources.ts).
    const silver = lookup.get('SILVER_SCOPE_NAME');
    const gold = lookup.get('GOLD_SCOPE_NAME');
    result.gatewayPolicies = resourceScopes({ silver: silver?.value ?? DEFAULT_SILVER_SCOPE, gold: gold?.value ?? DEFAULT_GOLD_SCOPE });
    result.gatewayPoliciesSource = (silver ?? gold)?.source ?? 'default';
  }
  return result;
}
