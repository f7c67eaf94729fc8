/**
 * `okta-bootstrap register-client`: the dynamic client registration Anypoint makes when an API is set up with
 * "OpenID Connect Dynamic Client Registration" (https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/Client/),
 * sent through the okta:client handler (src/okta/handlers/client.ts), the same code an input's okta:client entry
 * uses: its check refuses what Okta would refuse, its create registers at the org's `/oauth2/v1/clients`. The client
 * is recorded in `<output-dir>/register-client.json` (src/apply/register.ts), so a re-run reuses it and
 * `destroy --output <output-dir>/register-client.json` removes it. Prints AUTHN_CLIENT_ID and AUTHN_CLIENT_SECRET,
 * or merges them into .env with --write-env.
 */
import { Command } from 'commander';
import type { Registration } from '../apply/register.js';
import type { OktaCredentials } from '../core/config.js';
import { UsageError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { maskSecret } from '../core/mask.js';
import { loadValueSources, lookupValue } from '../resolve/sources.js';
import { addCommonOptions, createLogger, withExamples } from './common.js';
import { addOrgFlags, DEFAULT_LOCAL_STATE, withOrg } from './credentials.js';
import { collect, parseOptions, type OptionSchemas, type OptionsOf } from './options.js';
import { redactedCommand } from './rerun.js';

export const registerClientOptions = ({ z, flag, optionalValue, org, common }: OptionSchemas) =>
  z
    .object({
      name: z.string().trim().min(1, { error: 'takes the client_name of the new client' }),
      redirectUri: z.array(z.string()).min(1, { error: 'is required: give it once for each redirect URI' }),
      grantType: z.array(z.string()).transform((g) => (g.length > 0 ? g : ['authorization_code'])),
      writeEnv: optionalValue,
      outputDir: z.string(),
      new: flag,
      showSecrets: flag,
    })
    .extend(org.shape)
    .extend(common.shape);

export type RegisterClientFlags = OptionsOf<typeof registerClientOptions>;

export interface RegisterClientOptions extends RegisterClientFlags {
  credentials: OktaCredentials;
  logger: Logger;
}

/** The destroy that removes what the record holds, with the flags that reach the same org. */
export function destroyHint(file: string, opts: Pick<RegisterClientOptions, 'local' | 'localState' | 'envFile'>): string {
  const org = opts.local ? ['--local', ...(opts.localState !== DEFAULT_LOCAL_STATE ? ['--local-state', opts.localState] : [])] : [];
  const env = opts.envFile !== '.env' ? ['--env-file', opts.envFile] : [];
  return redactedCommand(['destroy', '--output', file, ...org, ...env]);
}

/** response_types that go with the requested grant types (RFC 7591 §2.1, https://www.rfc-editor.org/rfc/rfc7591#section-2.1). */
export function responseTypesFor(grantTypes: string[]): string[] {
  const out: string[] = [];
  if (grantTypes.includes('authorization_code')) out.push('code');
  if (grantTypes.includes('implicit')) out.push('token', 'id_token');
  return out.length > 0 ? out : ['code'];
}

/** The DCR body Anypoint sends for a web app, plus post_logout_redirect_uris (Anypoint does not send them). */
export function registrationBody(opts: Pick<RegisterClientFlags, 'name' | 'redirectUri' | 'grantType'>): Record<string, unknown> {
  return {
    client_name: opts.name,
    redirect_uris: opts.redirectUri,
    // The sample app (`okta-bootstrap app`) sends the browser back to REDIRECT_URI after Okta's logout, which Okta
    // allows only for the client's post_logout_redirect_uris
    // (https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/CustomAS/#tag/CustomAS/operation/logoutCustomAS).
    post_logout_redirect_uris: opts.redirectUri,
    response_types: responseTypesFor(opts.grantType),
    grant_types: opts.grantType,
    token_endpoint_auth_method: 'client_secret_basic',
    application_type: 'web',
  };
}

export async function registerClient(opts: RegisterClientOptions): Promise<Registration> {
  const [{ createOktaClient, checkCredentials }, { clientHandler }, { registerRecorded }] = await Promise.all([
    import('../okta/client.js'),
    import('../okta/handlers/client.js'),
    import('../apply/register.js'),
  ]);
  const log = opts.logger;
  const body = registrationBody(opts);
  const problems = clientHandler.check?.(body) ?? [];
  if (problems.length > 0) {
    throw new UsageError(`Okta would refuse this registration: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}.`, {
      suggestion: problems[0]?.suggestion.replace(/^Give/, 'Pass --redirect-uri with'),
    });
  }
  const api = createOktaClient({ orgUrl: opts.credentials.orgUrl, token: opts.credentials.token, logger: log, debug: opts.debug, requestTimeoutMs: opts.credentials.requestTimeoutMs });
  await checkCredentials(api);
  const envFile = typeof opts.writeEnv === 'string' ? opts.writeEnv : opts.envFile;

  // A client .env/the environment names is reused when the record holds no live client of this name.
  const sources = loadValueSources({ envFile });
  const knownId = lookupValue(sources, 'AUTHN_CLIENT_ID')?.value;
  const knownSecret = lookupValue(sources, 'AUTHN_CLIENT_SECRET')?.value;
  const r = await registerRecorded({
    api,
    outputDir: opts.outputDir,
    body,
    name: opts.name,
    redirectUris: opts.redirectUri,
    another: opts.new,
    command: redactedCommand(process.argv.slice(2)),
    log,
    known: knownId ? { clientId: knownId, secret: knownSecret } : undefined,
  });
  if (r.outcome !== 'known' && opts.writeEnv !== undefined && opts.writeEnv !== false) {
    const { mergeEnvFile } = await import('../settings/env-file.js');
    const merged = await mergeEnvFile(envFile, { AUTHN_CLIENT_ID: r.clientId, ...(r.clientSecret ? { AUTHN_CLIENT_SECRET: r.clientSecret } : {}) });
    const written = [...merged.added, ...merged.updated];
    log.info(written.length > 0 ? `Wrote ${written.join(' and ')} to ${envFile} (mode 0600).` : `${merged.unchanged.join(' and ')} in ${envFile} already hold these values.`);
  }
  printResult(opts, r.clientId, r.clientSecret);
  if (r.key) log.info(`Remove it with: ${destroyHint(r.file, opts)}`);
  return r;
}

function printResult(opts: RegisterClientOptions, clientId: string, secret: string | undefined): void {
  opts.logger.result(`AUTHN_CLIENT_ID=${clientId}`);
  if (secret) opts.logger.result(`AUTHN_CLIENT_SECRET=${opts.showSecrets ? secret : maskSecret(secret)}`);
}

export function registerClientCommand(): Command {
  const register = new Command('register-client')
    .summary('Register the app\'s client as Anypoint does (DCR)')
    .description(
      'Register the app\'s client through dynamic client registration, the same call Anypoint makes; prints AUTHN_CLIENT_ID and AUTHN_CLIENT_SECRET.',
    );
  addOrgFlags(register);
  register
    .requiredOption('--name <name>', 'The client_name of the new client')
    .requiredOption('--redirect-uri <uri>', 'A redirect URI (repeatable; at least one)', collect, [])
    .option('--grant-type <type>', 'A grant type (repeatable; default authorization_code)', collect, [])
    .option('--output-dir <dir>', 'Folder of the output files: the clients it registers are recorded in <output-dir>/register-client.json (default output)', 'output')
    .option('--write-env [file]', 'Merge AUTHN_CLIENT_ID and AUTHN_CLIENT_SECRET into a .env file (the --env-file unless a file is given)')
    .option('--new', 'Register another client even if one of this name is recorded (or named by AUTHN_CLIENT_ID) and live')
    .option('--show-secrets', 'Print the client secret instead of masking it');
  addCommonOptions(register);
  withExamples(register, [
    'okta-bootstrap register-client --name "Solar System Auth" --redirect-uri http://localhost:8080 --write-env',
    'okta-bootstrap register-client --local --name "Solar System Auth" --redirect-uri http://localhost:8080 --grant-type authorization_code --grant-type implicit',
  ]);
  register.action(async (raw: Record<string, unknown>, cmd: Command) => {
    const flags = await parseOptions(cmd, registerClientOptions, raw);
    const logger = createLogger(flags);
    await withOrg(flags, logger.info, async (org) => {
      await registerClient({ ...flags, credentials: org.credentials, logger });
    });
  });
  return register;
}
