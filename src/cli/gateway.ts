/**
 * `okta-bootstrap gateway --mulesoft`: the local gateway (Anypoint's OpenID Connect token enforcement + client
 * ID enforcement) in front of the built-in solar-system API or --upstream. Reads TOKEN_INTROSPECTION_URL,
 * INTROSPECT_CLIENT_ID/SECRET and AUTHN_CLIENT_ID like get-settings (environment > .env > output files).
 * Runs until Ctrl-C; one log line per request on stdout.
 */
import { Command, Option } from 'commander';
import { ConfigError, UsageError } from '../core/errors.js';
import { addCommonOptions, createLogger, untilStopSignal, withExamples } from './common.js';
import { DEFAULT_LOCAL_PORT, DEFAULT_LOCAL_STATE, resolveOrg } from './credentials.js';
import { join } from 'node:path';
import { parseOptions, type OptionSchemas, type OptionsOf } from './options.js';

export const gatewayOptions = ({ z, flag, port, url, common }: OptionSchemas) =>
  z
    .object({
      mulesoft: flag,
      kind: z.enum(['mulesoft', 'mulesoft_jwt', 'kong', 'aws', 'tyk', 'apigee']).optional(),
      config: z.string().optional(),
      port,
      host: z.string(),
      upstream: url.optional(),
      policies: z.string().optional(),
      outputDir: z.string(),
      envFile: z.string(),
      cache: z.boolean(),
      local: flag,
      localState: z.string(),
    })
    .extend(common.shape);

type GatewayFlags = OptionsOf<typeof gatewayOptions>;

/** The local-validation kinds: the gateway reads the generated file and validates tokens against the JWKS. */
async function runJwtKind(kind: 'mulesoft_jwt' | 'kong' | 'aws' | 'tyk' | 'apigee', flags: GatewayFlags): Promise<void> {
  const log = createLogger(flags);
  const [{ startJwtGateway }, { KIND_FILES }] = await Promise.all([import('../gateway/jwt-server.js'), import('../gateway/kinds.js')]);
  const config = flags.config ?? join('gateway', KIND_FILES[kind]);
  const org = flags.local ? await resolveOrg({ local: true, envFile: flags.envFile, localState: flags.localState, localPort: DEFAULT_LOCAL_PORT }, (m) => log.info(m)) : undefined;
  const gw = await startJwtGateway({ kind, config, port: flags.port, host: flags.host, upstream: flags.upstream, env: { ...process.env }, onLog: (line) => log.result(line) });
  log.info(`Gateway (${kind}) listening on ${gw.url} → ${flags.upstream ?? 'built-in solar-system API'}`);
  log.info(`  enforcing ${gw.profile.source}: issuer ${gw.profile.issuer ?? '(custom claim)'}, audience ${gw.profile.audiences.join(', ') || '(any)'}`);
  log.info(`  ${gw.profile.semantics}`);
  log.info('Press Ctrl-C to stop.');
  await untilStopSignal();
  await gw.close();
  await org?.close();
  log.info('Gateway stopped.');
}

export function registerGatewayCommand(program: Command): void {
  const cmd = new Command('gateway')
    .summary("A local API gateway, as Anypoint's token policy")
    .description(
    'A local API gateway that behaves as Anypoint\'s "OpenID Connect OAuth 2.0 Token Enforcement" policy: ' +
      'Bearer header or access_token parameter (400 otherwise), introspection with the introspection client ' +
      '(cached until the token expires; inactive → 401), scopes per resource and client ID enforcement (403). ' +
      'It proxies to a built-in solar-system API (/planets, /moons) unless --upstream is given.',
  );
  cmd
    .option('--mulesoft', 'Use the MuleSoft flow\'s values (output/mulesoft.json, .env); the same as --kind mulesoft')
    .addOption(
      new Option('--kind <kind>', 'Behave as this gateway, enforcing the file get-settings generated for it: mulesoft (introspection, as --mulesoft), mulesoft_jwt, kong, aws, tyk or apigee'),
    )
    .option('--config <file>', 'With --kind other than mulesoft: the generated file (default ./gateway/<its file>, e.g. gateway/kong.yaml)')
    .option('--port <port>', 'Port to listen on (default 8081)', '8081')
    .option('--host <host>', 'Address to listen on (default 127.0.0.1)', '127.0.0.1')
    .option('--upstream <url>', 'Proxy allowed requests to this URL instead of the built-in solar-system API')
    .option('--policies <file>', 'JSON map of "METHOD /path" → required scopes (by default the built-in policies.default.json)')
    .option('--no-cache', 'Introspect every request (Anypoint caches until expiry, so a revoked token keeps working until then)')
    .option('--output-dir <dir>', 'Folder of the output files (default output)', 'output')
    .option('--env-file <file>', '.env file; the environment wins over it (default .env)', '.env')
    .option('--local', 'Also start (or reuse) the embedded local tenant the tokens come from')
    .addOption(new Option('--local-state <file>', 'Local tenant state file').default(DEFAULT_LOCAL_STATE).hideHelp());
  addCommonOptions(cmd);
  withExamples(cmd, [
    'okta-bootstrap gateway --mulesoft                               # http://127.0.0.1:8081 → solar-system API',
    'okta-bootstrap gateway --mulesoft --port 9090 --upstream http://localhost:3000',
    'okta-bootstrap gateway --mulesoft --policies ./my-policies.json',
    'okta-bootstrap gateway --kind kong --config gateway/kong.yaml     # after get-settings --kong --out gateway',
    'curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8081/planets',
  ]);
  cmd.action(async (raw: Record<string, unknown>, command: Command) => {
    const flags = await parseOptions(command, gatewayOptions, raw);
    if (flags.kind !== undefined && flags.kind !== 'mulesoft') {
      await runJwtKind(flags.kind, flags);
      return;
    }
    if (!flags.mulesoft && flags.kind !== 'mulesoft') throw new UsageError('Choose the flow whose values the gateway uses.', { suggestion: 'Pass --mulesoft, or --kind <kind> with the file get-settings generated.' });
    const log = createLogger(flags);
    const [{ startGateway, loadPolicies, policiesToJson }, { loadVerifyValues }] = await Promise.all([import('../gateway/index.js'), import('../verify/values.js')]);
    const policies = await loadPolicies(flags.policies);
    const v = await loadVerifyValues({ outputDir: flags.outputDir, envFile: flags.envFile, env: { ...process.env } });
    const { introspectionUrl, introspectClientId, introspectClientSecret, authnClientId } = v;
    if (!introspectionUrl || !introspectClientId || !introspectClientSecret || !authnClientId) {
      const missing = Object.entries({
        TOKEN_INTROSPECTION_URL: introspectionUrl,
        INTROSPECT_CLIENT_ID: introspectClientId,
        INTROSPECT_CLIENT_SECRET: introspectClientSecret,
        AUTHN_CLIENT_ID: authnClientId,
      }).filter(([, x]) => !x).map(([k]) => k);
      throw new ConfigError(`The gateway needs ${missing.join(', ')}.`, {
        suggestion: 'Run `okta-bootstrap --mulesoft` (introspection client) and `okta-bootstrap register-client … --write-env` (AUTHN_CLIENT_ID), or set them in .env.',
      });
    }
    if (!flags.policies) {
      const configured = new Set([v.silver.scope.value, v.gold.scope.value]);
      const unknown = [...new Set(policies.flatMap((p) => p.scopes))].filter((s) => !configured.has(s));
      if (unknown.length) log.warn(`The default policies require ${unknown.join(', ')}, which is not a scope of this setup (${[...configured].join(', ')}): pass --policies FILE.`);
    }
    const org = flags.local ? await resolveOrg({ local: true, envFile: flags.envFile, localState: flags.localState, localPort: DEFAULT_LOCAL_PORT }, (m) => log.info(m)) : undefined;
    const gw = await startGateway({
      port: flags.port,
      host: flags.host,
      introspectionUrl: introspectionUrl.value,
      clientId: introspectClientId.value,
      clientSecret: introspectClientSecret.value,
      allowedClientIds: [authnClientId.value],
      policies,
      upstream: flags.upstream,
      cache: flags.cache,
      onLog: (line) => log.result(line),
    });
    log.info(`Gateway listening on ${gw.url} → ${flags.upstream ?? 'built-in solar-system API'}`);
    log.info(`  introspection: ${introspectionUrl.value} as ${introspectClientId.value}; allowed client: ${authnClientId.value}`);
    log.info(`  policies: ${JSON.stringify(policiesToJson(policies))}${flags.cache ? '' : '; no cache'}`);
    log.info('Press Ctrl-C to stop.');
    await untilStopSignal();
    await gw.close();
    await org?.close();
    log.info('Gateway stopped.');
  });
  program.addCommand(cmd);
}
