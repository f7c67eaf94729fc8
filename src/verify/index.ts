/**
 * `verify`: proves the OAuth dance works end to end and, for every failure, names the object that is wrong
 * and how to fix it. Five groups of checks (types.ts GROUPS), run in order because later ones use what
 * earlier ones learned (the server, its keys, the users' groups, the tokens).
 */
import { join } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { readOutputFile } from '../core/output-format.js';
import { latestOutputName } from '../core/output-names.js';
import { createOktaClient, type OktaApi } from '../okta/client.js';
import type { OktaCredentials } from '../core/config.js';
import type { VerifyContext } from './context.js';
import { danceChecks, matrixChecks } from './live-checks.js';
import { orgChecks } from './org-checks.js';
import { missingMulesoftKeys, recordedObjectChecks } from './objects.js';
import { makeReport, skip, type VerifyReport } from './types.js';
import { oauthFetch } from './transport.js';
import { loadVerifyValues, valuesFromOutput, type VerifyValues } from './values.js';

export interface VerifyOptions {
  credentials: Pick<OktaCredentials, 'orgUrl' | 'token' | 'requestTimeoutMs'>;
  /** Values to check; default: read from outputDir / envFile / env like get-settings. */
  values?: VerifyValues;
  outputDir?: string;
  envFile?: string;
  /** The environment snapshot the caller took; verify never reads the process's own. */
  env: Readonly<Record<string, string | undefined>>;
  /** An Okta client to reuse (tests); default: one made from the credentials. */
  api?: OktaApi;
  debug?: boolean;
  /** Put the access tokens the dance obtained into the token checks' data (--show-secrets). */
  showTokens?: boolean;
  logger?: { debug(msg: string): void };
}

function oktaApi(opts: VerifyOptions): OktaApi {
  return opts.api ?? createOktaClient({ orgUrl: opts.credentials.orgUrl, token: opts.credentials.token, debug: opts.debug, logger: opts.logger, requestTimeoutMs: opts.credentials.requestTimeoutMs });
}

/**
 * `verify --input FILE` for any input but the built-in MuleSoft ones: each object its output recorded exists and
 * is active; when the output has the MuleSoft flow's shape (an authorization server, an introspection client, a
 * silver and a gold user), the MuleSoft checks run on its values too; otherwise one skip says they do not apply.
 */
export async function runVerifyInput(opts: VerifyOptions & { input: string; inputArg: string }): Promise<VerifyReport> {
  const outputDir = opts.outputDir ?? 'output';
  const file = join(outputDir, latestOutputName(opts.input));
  const output = await readOutputFile(file);
  if (!output) {
    throw new ConfigError(`Nothing to verify: ${file} does not exist.`, {
      suggestion: `Run \`okta-bootstrap --input ${opts.inputArg}\` first, or point --output-dir at the folder that holds ${latestOutputName(opts.input)}.`,
    });
  }
  const api = oktaApi(opts);
  const objects = await recordedObjectChecks(api, output, file, `re-run \`okta-bootstrap --input ${opts.inputArg}\``);
  const lacking = missingMulesoftKeys(output);
  if (lacking.length > 0) {
    const why = `${opts.input} has not the MuleSoft flow's shape (its output has no ${lacking.join(', ')})`;
    return makeReport([
      ...objects,
      skip(6, 'mulesoft.checks', 'the authorization server, introspection, audit, dance and gateway checks', `skipped: ${why}, so they do not apply`),
    ]);
  }
  const values = await valuesFromOutput({ output, name: opts.input, outputDir, envFile: opts.envFile ?? '.env', env: opts.env });
  const report = await runVerify({ ...opts, api, values });
  return makeReport([...report.checks, ...objects], report.gateway);
}

export async function runVerify(opts: VerifyOptions): Promise<VerifyReport> {
  const values = opts.values ?? (await loadVerifyValues({ outputDir: opts.outputDir ?? 'output', envFile: opts.envFile ?? '.env', env: opts.env }));
  if (values.outputsRead.length === 0 && !values.serverId) {
    throw new ConfigError(`Nothing to verify: no mulesoft.json or mulesoft_policy.json in ${opts.outputDir ?? 'output'}, and OKTA_AZ_SERVER_ID is not set.`, {
      suggestion: 'Run `okta-bootstrap --mulesoft` (then register the client and run `okta-bootstrap --mulesoft_policy`) first, or point --output-dir at the folder that holds the output files.',
    });
  }
  const timeoutMs = opts.credentials.requestTimeoutMs;
  const api = oktaApi(opts);
  // The OAuth calls share the management calls' governor: one transport, one rate-limit view of the org.
  const ctx: VerifyContext = { api, orgUrl: opts.credentials.orgUrl, values, fetch: oauthFetch(api.governor, timeoutMs), tokens: {} };
  const checks = [...(await orgChecks(ctx)), ...(await danceChecks(ctx))];
  const matrix = await matrixChecks(ctx);
  checks.push(...matrix.checks);
  if (opts.showTokens) {
    for (const c of checks) {
      const lv = /^token\.(silver|gold)$/.exec(c.id)?.[1] as 'silver' | 'gold' | undefined;
      if (lv && ctx.tokens[lv]) c.data = { ...c.data, accessToken: ctx.tokens[lv] };
    }
  }
  return makeReport(checks, matrix.gateway);
}

export { renderJson, renderTable } from './render.js';
export { loadVerifyValues, valuesFromSources, type VerifyValues } from './values.js';
export { runDance, checkAccessToken, authn, pkcePair, type DanceInput, type DanceResult, type DanceTokens } from './dance.js';
export type { CheckResult, CheckStatus, VerifyReport } from './types.js';
