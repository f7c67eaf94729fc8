/**
 * `okta-bootstrap local serve|info|reset`: the embedded Okta-compatible tenant as a long-running process.
 * Thin: parses flags, calls src/local-tenant (imported lazily so --help stays fast).
 * `serve` prints the org URL and the API token (in dotenv form, on stdout) when it is ready: this token is the
 * local tenant's own, generated on first start and kept in the state file (mode 0600), not an Okta token.
 */
import { Command, Option } from 'commander';
import { UsageError } from '../core/errors.js';
import { addCommonOptions, createLogger, untilStopSignal, withExamples } from './common.js';
import { DEFAULT_LOCAL_PORT, DEFAULT_LOCAL_STATE } from './credentials.js';
import { parseOptions, type OptionSchemas } from './options.js';

/** serve's flags, parsed into startLocalTenant options. */
export const serveOptions = ({ z, flag, port, probability, wholeNumber, common }: OptionSchemas) =>
  z
    .object({
      port,
      host: z.string(),
      state: z.string(),
      latencyMs: wholeNumber(0, 600_000).optional(),
      rateLimits: z.string(),
      failRate: probability.optional(),
      seed: wholeNumber(0, 2 ** 32 - 1).optional(),
      log: flag,
      specCheck: flag,
    })
    .extend(common.shape)
    .transform(({ state, quiet, verbose, debug, ...o }) => ({ tenant: { ...o, statePath: state }, levels: { quiet, verbose, debug } }));

const stateOptions = ({ z, flag, common }: OptionSchemas) => z.object({ state: z.string(), newToken: flag }).extend(common.shape);

function dotenv(orgUrl: string, token: string): string {
  return `OKTA_TENANT=${orgUrl}\nOKTA_API_TOKEN=${token}`;
}

export function registerLocalCommand(program: Command): void {
  const local = program
    .command('local')
    .summary('The embedded Okta-compatible local tenant')
    .description('The embedded Okta-compatible tenant on localhost (no Okta account needed)');

  const serve = addCommonOptions(local.command('serve'))
    .description('Run the local tenant until Ctrl-C (SIGINT) or SIGTERM; prints OKTA_TENANT and OKTA_API_TOKEN when ready')
    .option('--port <n>', `Port to listen on; 0 picks a free one (default ${DEFAULT_LOCAL_PORT})`, String(DEFAULT_LOCAL_PORT))
    .option('--host <host>', 'Interface to listen on (default 127.0.0.1)', '127.0.0.1')
    .option('--state <file>', `State file, created on first start and kept across restarts (default ${DEFAULT_LOCAL_STATE})`, DEFAULT_LOCAL_STATE)
    .option('--latency-ms <n>', 'Add this much latency to every request')
    // serve models a free developer org by default (https://developer.okta.com/docs/reference/rl2-limits/), so a run against it meets Okta's limits;
    // the library call (startLocalTenant, used by tests) stays unlimited unless asked.
    .option('--rate-limits <spec>', 'Rate limits: developer, the limits of a free developer org (100/min users, groups, rest of /api/v1; 20/min apps; 25/min DCR; 15 concurrent) the default; none; or a JSON file of limits ({"concurrency", "windowSeconds", "buckets"})', 'developer')
    .option('--fail-rate <p>', 'Probability (0..1) of an injected failure per request')
    .option('--seed <n>', 'Seed for latency jitter and injected failures')
    .option('--log', 'Print one line per request on stderr')
    .addOption(new Option('--spec-check', 'validate every request and response against Okta\'s spec (slow)').hideHelp());
  withExamples(serve, [
    'okta-bootstrap local serve',
    'okta-bootstrap local serve --port 0 --state /tmp/org.json --log',
    'okta-bootstrap local serve --rate-limits none        # no limits, no rate-limit headers',
    'okta-bootstrap local serve --latency-ms 80 --fail-rate 0.02 --seed 7',
    'okta-bootstrap local serve --rate-limits limits.json  # e.g. {"windowSeconds": 6, "buckets": [...]}',
  ]);
  serve.action(async (raw: Record<string, unknown>, cmd: Command) => {
    const { tenant: opts, levels } = await parseOptions(cmd, serveOptions, raw);
    const log = createLogger(levels);
    const { startLocalTenant } = await import('../local-tenant/index.js');
    let tenant: Awaited<ReturnType<typeof startLocalTenant>>;
    try {
      tenant = await startLocalTenant(opts);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new UsageError(`Port ${opts.port} on ${opts.host} is already in use.`, {
          suggestion: 'Is a "local serve" already running? Stop it, or pass --port with another port (0 picks a free one).',
        });
      }
      throw e;
    }
    log.info(`Local Okta tenant ready at ${tenant.orgUrl} (state ${opts.statePath}). Stop with Ctrl-C.`);
    log.result(dotenv(tenant.orgUrl, tenant.apiToken));
    await untilStopSignal();
    await tenant.close();
    log.info('Local Okta tenant stopped.');
  });

  const info = addCommonOptions(local.command('info'))
    .description('Print OKTA_TENANT and OKTA_API_TOKEN of the local tenant in dotenv form')
    .option('--state <file>', `State file (default ${DEFAULT_LOCAL_STATE})`, DEFAULT_LOCAL_STATE);
  withExamples(info, ['okta-bootstrap local info >> .env']);
  info.action(async (raw: Record<string, unknown>, cmd: Command) => {
    const flags = await parseOptions(cmd, stateOptions, raw);
    const log = createLogger(flags);
    const { readLocalTenantInfo } = await import('../local-tenant/index.js');
    const t = readLocalTenantInfo(flags.state, DEFAULT_LOCAL_PORT);
    if (!t) {
      throw new UsageError(`There is no local tenant state at ${flags.state}.`, {
        suggestion: `Start one with "okta-bootstrap local serve --state ${flags.state}".`,
      });
    }
    log.result(dotenv(t.orgUrl, t.apiToken));
  });

  const reset = addCommonOptions(local.command('reset'))
    .description('Start the local org afresh: every object is removed (the API token is kept unless --new-token)')
    .option('--state <file>', `State file (default ${DEFAULT_LOCAL_STATE})`, DEFAULT_LOCAL_STATE)
    .option('--new-token', 'Also generate a new API token');
  withExamples(reset, ['okta-bootstrap local reset', 'okta-bootstrap local reset --state /tmp/org.json --new-token']);
  reset.action(async (raw: Record<string, unknown>, cmd: Command) => {
    const flags = await parseOptions(cmd, stateOptions, raw);
    const log = createLogger(flags);
    const { resetStateFile } = await import('../local-tenant/index.js');
    await resetStateFile(flags.state, { newToken: flags.newToken });
    log.info(`Local tenant state ${flags.state} reset${flags.newToken ? ' with a new API token' : ''}.`);
  });
}
