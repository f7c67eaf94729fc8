/**
 * `okta-bootstrap app --mulesoft`: the sample app (src/app) on REDIRECT_URI's port. It reads AUTHN_CLIENT_ID,
 * AUTHN_CLIENT_SECRET, OKTA_AZ_SERVER_ISSUER, PROXY_URI and REDIRECT_URI as `get-settings --mulesoft --write-env`
 * wrote them (environment > .env > output files). Runs until Ctrl-C; one access-log line per request on stdout.
 */
import { basename } from 'node:path';
import { Command, Option } from 'commander';
import { UsageError } from '../core/errors.js';
import { addCommonOptions, createLogger, untilStopSignal, withExamples } from './common.js';
import { DEFAULT_LOCAL_PORT, DEFAULT_LOCAL_STATE, resolveOrg } from './credentials.js';
import { parseOptions, type OptionSchemas, type OptionsOf } from './options.js';

export const appOptions = ({ z, flag, port, common }: OptionSchemas) =>
  z
    .object({
      mulesoft: flag,
      input: z.string().optional(),
      port: port.optional(),
      host: z.string(),
      outputDir: z.string(),
      envFile: z.string(),
      local: flag,
      localState: z.string(),
    })
    .extend(common.shape);

type AppFlags = OptionsOf<typeof appOptions>;

/** The flow whose values the app uses: --mulesoft, or --input naming it (a path's base name counts). */
function chosenFlow(flags: AppFlags): 'mulesoft' {
  const named = flags.input === undefined ? undefined : basename(flags.input).replace(/\.json$/, '');
  if (flags.mulesoft && named !== undefined && named !== 'mulesoft') throw new UsageError('Use --mulesoft or --input, not both.');
  const flow = flags.mulesoft ? 'mulesoft' : named;
  if (flow === 'mulesoft' || flow === 'mulesoft_policy') return 'mulesoft';
  if (flow === undefined) throw new UsageError('Choose the flow whose values the app uses.', { suggestion: 'Pass --mulesoft.' });
  throw new UsageError(`The app knows the mulesoft flow, not "${flags.input ?? ''}".`, { suggestion: 'Pass --mulesoft.' });
}

export function registerAppCommand(program: Command): void {
  const cmd = new Command('app')
    .summary('The sample app: sign in, then call the API')
    .description(
    'The sample app: sign in as the silver or the gold user (authorization code flow with PKCE), see the ID and access ' +
      'token claims, and call /planets and /moons through the gateway (PROXY_URI), each answer explained. Serves on ' +
      "REDIRECT_URI's port; reads the values `get-settings --mulesoft --write-env` wrote.",
  );
  cmd
    .option('--mulesoft', "Use the MuleSoft flow's values (output/mulesoft*.json, .env)")
    .option('--input <name>', 'The flow by name (mulesoft)')
    .option('--port <port>', "Listen on this port instead of REDIRECT_URI's (e.g. behind a proxy that forwards REDIRECT_URI)")
    .option('--host <host>', 'Address to listen on (default 127.0.0.1)', '127.0.0.1')
    .option('--output-dir <dir>', 'Folder of the output files (default output)', 'output')
    .option('--env-file <file>', '.env file (what get-settings --mulesoft --write-env wrote); the environment wins over it (default .env)', '.env')
    .option('--local', 'Also start (or reuse) the embedded local tenant the issuer belongs to')
    .addOption(new Option('--local-state <file>', 'Local tenant state file').default(DEFAULT_LOCAL_STATE).hideHelp());
  addCommonOptions(cmd);
  withExamples(cmd, [
    'okta-bootstrap app --mulesoft                       # http://localhost:8080 (REDIRECT_URI)',
    'okta-bootstrap app --mulesoft --local               # with the embedded local tenant',
    'okta-bootstrap app --mulesoft --env-file app/.env',
  ]);
  cmd.action(async (raw: Record<string, unknown>, command: Command) => {
    const flags = await parseOptions(command, appOptions, raw);
    chosenFlow(flags);
    const log = createLogger(flags);
    const [{ startApp }, { loadAppConfig }] = await Promise.all([import('../app/index.js'), import('../app/load.js')]);
    const config = await loadAppConfig({ outputDir: flags.outputDir, envFile: flags.envFile });
    const org = flags.local ? await resolveOrg({ local: true, envFile: flags.envFile, localState: flags.localState, localPort: DEFAULT_LOCAL_PORT }, (m) => log.info(m)) : undefined;
    try {
      const app = await startApp({ config, ...(flags.port === undefined ? {} : { port: flags.port }), host: flags.host, onLog: (line) => log.result(line) });
      log.info(`App listening on ${app.url}: open ${config.redirectUri} in a browser.`);
      log.info(`  issuer ${config.issuer}, client ${config.clientId}; gateway ${config.gateway} at ${config.proxyUri}`);
      log.info('Press Ctrl-C to stop.');
      await untilStopSignal();
      await app.close();
      log.info('App stopped.');
    } finally {
      await org?.close();
    }
  });
  program.addCommand(cmd);
}
