/**
 * What verify checks against: the values the person copies into Anypoint and the app (read with the
 * get-settings module, so the precedence is the same: environment > .env > output files > derived) plus the
 * ids of the objects the runs created (from the same output files, their values or the `$okta-bootstrap`
 * journal). Every value keeps its source, so a diagnosis can say "INTROSPECT_CLIENT_SECRET (from .env)".
 */
import { join } from 'node:path';
import type { OutputFile } from '../core/output-format.js';
import { latestOutputName } from '../core/output-names.js';
import { isRecord, valueAtPath } from '../core/json.js';
import { loadSettingsSources } from '../settings/load.js';
import {
  DEFAULT_GOLD_SCOPE,
  DEFAULT_SILVER_SCOPE,
  resolveSettings,
  type SettingsResult,
  type SettingsSources,
} from '../settings/profiles.js';

export interface Sourced {
  value: string;
  /** "environment", ".env", "output/mulesoft.json", "derived", "default", "journal output/…" */
  source: string;
}

export type Level = 'silver' | 'gold';
export const LEVELS: readonly Level[] = ['silver', 'gold'];

export interface LevelValues {
  username?: Sourced;
  password?: Sourced;
  groupId?: Sourced;
  groupName?: string;
  userId?: Sourced;
  scope: Sourced;
  ruleId?: Sourced;
  ruleName: string;
}

export interface VerifyValues {
  serverId?: Sourced;
  issuer?: Sourced;
  authorizeUrl?: Sourced;
  tokenUrl?: Sourced;
  introspectionUrl?: Sourced;
  introspectClientId?: Sourced;
  introspectClientSecret?: Sourced;
  authnClientId?: Sourced;
  authnClientSecret?: Sourced;
  redirectUri?: Sourced;
  policyId?: Sourced;
  audiences: string[];
  /** Only when set (env, .env or an output file): the default is not a gateway that exists. */
  proxyUri?: Sourced;
  silver: LevelValues;
  gold: LevelValues;
  /** The resource → scopes map the admin enters in Anypoint (from the scope names). */
  gatewayPolicies: Record<string, string[]>;
  /** Output files found, for messages. */
  outputsRead: string[];
}

const OUTPUT_ORDER = ['mulesoft_policy', 'mulesoft'];

function nonEmpty(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v;
  if (typeof v === 'number') return String(v);
  return undefined;
}


/** env > .env > output values (flat key, then key.path) > the journal's id for `journalKey`. */
export class ValueLookup {
  constructor(private readonly src: SettingsSources) {}

  private outName(name: string): string {
    return join(this.src.outputDir, latestOutputName(name));
  }

  private outputs(): [string, OutputFile][] {
    return OUTPUT_ORDER.flatMap((n): [string, OutputFile][] => {
      const out = this.src.outputs[n];
      return out ? [[n, out]] : [];
    });
  }

  env(key: string): Sourced | undefined {
    const e = nonEmpty(this.src.env[key]);
    if (e !== undefined) return { value: e, source: 'environment' };
    const d = nonEmpty(this.src.dotenv[key]);
    if (d !== undefined) return { value: d, source: this.src.dotenvName };
    return undefined;
  }

  output(key: string, path: string[] = []): Sourced | undefined {
    for (const [name, out] of this.outputs()) {
      const v = nonEmpty(valueAtPath(out.values[key], path));
      if (v !== undefined) return { value: v, source: this.outName(name) };
    }
    return undefined;
  }

  journalId(key: string, objectClass?: string): Sourced | undefined {
    for (const [name, out] of this.outputs()) {
      const objects = out.meta?.objects ?? {};
      const direct = objects[key];
      if (direct?.id && direct.state !== 'deleted') return { value: direct.id, source: `journal of ${this.outName(name)}` };
      if (objectClass) {
        const found = Object.values(objects).find((o) => o.objectClass === objectClass && o.id && o.state === 'done');
        if (found?.id) return { value: found.id, source: `journal of ${this.outName(name)}` };
      }
    }
    return undefined;
  }

  /** A flat value, or the id of an object key (e.g. SILVER_GROUP_ID, else SILVER_GROUP.id, else the journal). */
  id(flatKey: string, objectKey: string, objectClass?: string): Sourced | undefined {
    return this.env(flatKey) ?? this.output(flatKey) ?? this.output(objectKey, ['id']) ?? this.journalId(objectKey, objectClass);
  }

  raw(key: string): unknown {
    for (const [, out] of this.outputs()) if (out.values[key] !== undefined) return out.values[key];
    return undefined;
  }
}

/** The scopes each level's user asks for: the gold user also asks for silver, so one token reads both resources. */
export function requestedScopes(v: VerifyValues, level: Level): string[] {
  return level === 'silver' ? ['openid', v.silver.scope.value] : ['openid', v.silver.scope.value, v.gold.scope.value];
}

function fromSettings(results: SettingsResult[], key: string): Sourced | undefined {
  for (const r of results) {
    const v = r.values.find((x) => x.key === key);
    if (v) return { value: v.value, source: v.source };
  }
  return undefined;
}

export interface LoadValuesOptions {
  outputDir: string;
  envFile: string;
  /** The environment snapshot the caller took (verify never reads the process's own). */
  env: Readonly<Record<string, string | undefined>>;
}

/** Reads every value verify needs. Missing values stay undefined; the checks say which and where to get them. */
export async function loadVerifyValues(opts: LoadValuesOptions): Promise<VerifyValues> {
  const src = await loadSettingsSources({ profile: 'mulesoft', outputDir: opts.outputDir, envFile: opts.envFile, env: opts.env });
  return valuesFromSources(src);
}

/**
 * The values of an input with the MuleSoft flow's shape, read from its own output file (`<output-dir>/<name>.json`)
 * where the MuleSoft flow reads mulesoft.json and mulesoft_policy.json; the environment and .env still win.
 */
export async function valuesFromOutput(opts: LoadValuesOptions & { output: OutputFile; name: string }): Promise<VerifyValues> {
  const src = await loadSettingsSources({ outputs: [], outputDir: opts.outputDir, envFile: opts.envFile, env: opts.env });
  const values = valuesFromSources({ ...src, outputs: { mulesoft: opts.output } });
  // The lookups name the slot the output was read into (mulesoft.json); a diagnosis names the file itself.
  const slot = join(opts.outputDir, latestOutputName('mulesoft'));
  const file = join(opts.outputDir, latestOutputName(opts.name));
  return { ...renamedSource(values, slot, file), outputsRead: [file] };
}

/** A deep copy of `value` with every `source` string that names `from` naming `to` instead. */
function renamedSource<T>(value: T, from: string, to: string): T {
  if (Array.isArray(value)) return value.map((v: unknown) => renamedSource(v, from, to)) as T;
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = k === 'source' && typeof v === 'string' ? v.split(from).join(to) : renamedSource(v, from, to);
  return out as T;
}

export function valuesFromSources(src: SettingsSources): VerifyValues {
  const settings = [resolveSettings('mulesoft_introspect', src), resolveSettings('mulesoft', src)];
  const l = new ValueLookup(src);
  const get = (key: string) => fromSettings(settings, key);
  const issuer = get('OKTA_AZ_SERVER_ISSUER');
  let serverId = l.id('OKTA_AZ_SERVER_ID', 'OKTA_AZ_SERVER', 'okta:authz_server');
  if (!serverId && issuer) {
    const id = /\/oauth2\/([^/]+)\/?$/.exec(issuer.value)?.[1];
    if (id) serverId = { value: id, source: `derived from OKTA_AZ_SERVER_ISSUER (${issuer.source})` };
  }
  const proxy = get('PROXY_URI');
  const level = (lv: Level): LevelValues => {
    const U = lv.toUpperCase();
    const scope = l.env(`${U}_SCOPE_NAME`) ?? l.output(`${U}_SCOPE_NAME`) ?? l.output(`${U}_SCOPE`, ['name']) ?? {
      value: lv === 'silver' ? DEFAULT_SILVER_SCOPE : DEFAULT_GOLD_SCOPE,
      source: 'default',
    };
    return {
      username: get(`${U}_USERNAME`),
      password: get(`${U}_PASSWORD`),
      groupId: l.id(`${U}_GROUP_ID`, `${U}_GROUP`),
      groupName: nonEmpty(valueAtPath(l.raw(`${U}_GROUP`), ['profile', 'name'])),
      userId: l.id(`${U}_USER_ID`, `${U}_USER`),
      scope,
      ruleId: l.id(`${U}_RULE_ID`, `${U}_RULE`),
      ruleName: nonEmpty(valueAtPath(l.raw(`${U}_RULE`), ['name'])) ?? `${lv} access rule`,
    };
  };
  const silver = level('silver');
  const gold = level('gold');
  const audiencesRaw = valueAtPath(l.raw('OKTA_AZ_SERVER'), ['audiences']);
  return {
    serverId,
    issuer,
    authorizeUrl: get('AUTHORIZE_URL'),
    tokenUrl: get('TOKEN_URL'),
    introspectionUrl: get('TOKEN_INTROSPECTION_URL'),
    introspectClientId: get('INTROSPECT_CLIENT_ID'),
    introspectClientSecret: get('INTROSPECT_CLIENT_SECRET'),
    authnClientId: get('AUTHN_CLIENT_ID'),
    authnClientSecret: get('AUTHN_CLIENT_SECRET'),
    redirectUri: get('REDIRECT_URI'),
    policyId: l.id('ACCESS_POLICY_ID', 'ACCESS_POLICY', 'okta:oauth_policy'),
    audiences: Array.isArray(audiencesRaw) ? audiencesRaw.filter((a): a is string => typeof a === 'string') : [],
    proxyUri: proxy && proxy.source !== 'default' ? proxy : undefined,
    silver,
    gold,
    gatewayPolicies: { 'GET /planets': [silver.scope.value], 'GET /moons': [gold.scope.value] },
    outputsRead: OUTPUT_ORDER.filter((n) => src.outputs[n]).map((n) => join(src.outputDir, latestOutputName(n))),
  };
}
