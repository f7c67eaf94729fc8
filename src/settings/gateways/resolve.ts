/**
 * Where the gateway profiles' values come from, first found wins: the environment, the .env file, then the output
 * files in --output-dir (`standard.json`, `aws.json` (the original's AWS input), then `mulesoft_policy.json`, then
 * `mulesoft.json`: the one-step setups first). The policy map: --policies FILE, else the output's GATEWAY_POLICIES (an input defines its own with a
 * `GATEWAY_POLICIES` json entry, as inputs/standard.json does), else src/gateway/policies.default.json.
 *
 * Reads files only (output files, .env, the policies file): no Okta SDK, no prompt.
 */
import { join } from 'node:path';
import type { EnvLike } from '../../core/config.js';
import { ConfigError } from '../../core/errors.js';
import { isRecord, valueAtPath } from '../../core/json.js';
import { latestOutputName } from '../../core/output-names.js';
import { readOutputFile, type OutputFile } from '../../core/output-format.js';
import { loadPolicies, parsePolicies } from '../../gateway/policies.js';
import { loadValueSources } from '../../resolve/sources.js';
import type { GatewaySettings } from './common.js';

/** The output files read, in order of precedence. */
export const GATEWAY_OUTPUTS = ['standard', 'aws', 'mulesoft_policy', 'mulesoft'] as const;

/** The upstream written into the files when UPSTREAM_URL is not set: the solar-system API's usual local port. */
export const DEFAULT_UPSTREAM_URL = 'http://localhost:8082';

export interface GatewaySourcesOptions {
  outputDir: string;
  envFile: string;
  env?: EnvLike;
  policiesFile?: string;
  upstreamUrl?: string;
}

export interface ResolvedGatewaySettings {
  settings?: GatewaySettings;
  /** Values that were not found, with where to get them. */
  missing: { key: string; hint: string }[];
  /** Where each value came from, for the text output. */
  sources: Record<string, string>;
}

function nonEmpty(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** Values by key: environment, then .env, then the output files (GATEWAY_OUTPUTS order). Records each source. */
export interface GatewayValues {
  outputs: [string, OutputFile][];
  sources: Record<string, string>;
  get(key: string): string | undefined;
  /** A value at `path` inside an output entry (e.g. SILVER_USER.profile.login). */
  output(key: string, path: string[]): string | undefined;
}

export async function loadGatewayValues(opts: Pick<GatewaySourcesOptions, 'outputDir' | 'envFile' | 'env'>): Promise<GatewayValues> {
  const outputs: [string, OutputFile][] = [];
  for (const name of GATEWAY_OUTPUTS) {
    const out = await readOutputFile(join(opts.outputDir, latestOutputName(name)));
    if (out) outputs.push([name, out]);
  }
  const { env, dotenv } = loadValueSources({ envFile: opts.envFile, env: opts.env ?? process.env });
  const sources: Record<string, string> = {};
  const where = (name: string) => join(opts.outputDir, latestOutputName(name));
  return {
    outputs,
    sources,
    get(key) {
      const e = nonEmpty(env[key]);
      if (e !== undefined) return (sources[key] = 'environment'), e;
      const d = nonEmpty(dotenv[key]);
      if (d !== undefined) return (sources[key] = opts.envFile), d;
      for (const [name, out] of outputs) {
        const v = nonEmpty(out.values[key]);
        if (v !== undefined) return (sources[key] = where(name)), v;
      }
      return undefined;
    },
    output(key, path) {
      for (const [name, out] of outputs) {
        const v = nonEmpty(valueAtPath(out.values[key], path));
        if (v !== undefined) return (sources[`${key}.${path.join('.')}`] = where(name)), v;
      }
      return undefined;
    },
  };
}

export async function resolveGatewaySettings(opts: GatewaySourcesOptions): Promise<ResolvedGatewaySettings> {
  const values = await loadGatewayValues(opts);
  const { outputs, sources } = values;
  const get = (key: string) => values.get(key);
  const server = (field: 'issuer' | 'audience'): string | undefined =>
    field === 'issuer' ? values.output('OKTA_AZ_SERVER', ['issuer']) : values.output('OKTA_AZ_SERVER', ['audiences', '0']);
  const run = `run \`okta-bootstrap --standard\` (it writes ${join(opts.outputDir, 'standard.json')})`;
  const issuer = get('OKTA_AZ_SERVER_ISSUER') ?? server('issuer');
  const audience = get('AUDIENCE') ?? server('audience');
  const tag = get('TAG') ?? 'untagged';
  const missing: { key: string; hint: string }[] = [];
  if (!issuer) missing.push({ key: 'OKTA_AZ_SERVER_ISSUER', hint: `${run} or set OKTA_AZ_SERVER_ISSUER in ${opts.envFile}` });
  if (!audience) missing.push({ key: 'AUDIENCE', hint: `${run} or set AUDIENCE (the authorization server's audience) in ${opts.envFile}` });

  let policies;
  let policiesSource: string;
  if (opts.policiesFile) {
    policies = await loadPolicies(opts.policiesFile);
    policiesSource = opts.policiesFile;
  } else {
    const fromOutput = outputs.find(([, out]) => isRecord(out.values.GATEWAY_POLICIES));
    if (fromOutput) {
      policiesSource = `${join(opts.outputDir, latestOutputName(fromOutput[0]))} (GATEWAY_POLICIES)`;
      policies = parsePolicies(fromOutput[1].values.GATEWAY_POLICIES, policiesSource);
    } else {
      policies = await loadPolicies();
      policiesSource = 'policies.default.json';
    }
  }
  if (policies.length === 0) {
    throw new ConfigError(`The policy map ${policiesSource} has no resource.`, { suggestion: 'Give it at least one "METHOD /path": [scopes] entry.' });
  }
  const input = Object.values(sources).find((s) => s.endsWith('.json') || s.includes('.json ')) ?? 'environment';
  const inputName = /([^/\\]+)\.json/.exec(input)?.[1] ?? input;
  const upstreamUrl = opts.upstreamUrl ?? get('UPSTREAM_URL') ?? DEFAULT_UPSTREAM_URL;
  const introspectClientId = get('INTROSPECT_CLIENT_ID') ?? get('AUTHN_CLIENT_ID');
  if (!issuer || !audience) return { missing, sources };
  return {
    settings: { input: inputName, tag, issuer, audience, upstreamUrl, policies, policiesSource, introspectClientId },
    missing,
    sources,
  };
}
