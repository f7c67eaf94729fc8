/**
 * `okta-bootstrap verify --mulesoft` (or `--input FILE`): runs the checks of src/verify and prints them as a table
 * (or --json). Exit 0 when every check passes or is skipped, 1 when any fails (CheckFailedError, rendered by runMain).
 */
import { basename } from 'node:path';
import { Command, Option } from 'commander';
import { CheckFailedError, UsageError } from '../core/errors.js';
import { addCommonOptions, createLogger, withExamples } from './common.js';
import { addOrgFlags, DEFAULT_LOCAL_PORT, resolveOrg } from './credentials.js';
import { parseOptions, type OptionSchemas } from './options.js';
import type { VerifyReport } from '../verify/types.js';

export const verifyOptions = ({ z, flag, org, common }: OptionSchemas) =>
  z
    .object({
      mulesoft: flag,
      input: z.string().optional(),
      gateway: z.enum(['kong', 'aws', 'tyk', 'apigee', 'mulesoft_jwt']).optional(),
      config: z.string().optional(),
      json: flag,
      outputDir: z.string(),
      showSecrets: flag,
    })
    .extend(org.shape)
    .extend(common.shape)
    .refine((o) => !(o.mulesoft && o.input !== undefined), { error: 'and --input cannot be used together: choose one', path: ['mulesoft'] });

/** The built-in inputs of the MuleSoft flow: --input with one of them verifies that flow, as --mulesoft does. */
const MULESOFT_INPUTS = ['mulesoft', 'mulesoft_policy'];

export function registerVerifyCommand(program: Command): void {
  const cmd = new Command('verify')
    .summary('Prove the OAuth dance works, end to end')
    .description(
    'Prove the OAuth dance works end to end: the authorization server, the introspection credentials, an audit of ' +
      'the configuration, the live dance for the silver and gold users, and the access matrix through the gateway ' +
      '(PROXY_URI when set, else the local gateway in-process). Each failure names the wrong object and the fix. ' +
      'Exit code 0: no check failed; 1: some check failed.',
  );
  cmd
    .addOption(new Option('--mulesoft', 'Verify the MuleSoft flow (output/mulesoft.json + output/mulesoft_policy.json)').helpGroup('What to verify (choose one):'))
    .addOption(
      new Option(
        '--input <name|file>',
        'Verify any input: each object its output recorded exists and is active; the MuleSoft checks too when its output has their shape (says what it skipped)',
      ).helpGroup('What to verify (choose one):'),
    )
    .addOption(
      new Option('--gateway <kind>', 'Run the access matrix through the local gateway of this kind (kong, aws, tyk, apigee, mulesoft_jwt), enforcing its generated file')
        .helpGroup('What to verify (choose one):'),
    )
    .option('--config <file>', 'With --gateway: the generated file to enforce (by default generated from the output files, as get-settings does)')
    .option('--json', 'Print the results as JSON (same checks, same statuses)')
    .option('--output-dir <dir>', 'Folder of the output files (default output)', 'output');
  addOrgFlags(cmd, '.env file (AUTHN_CLIENT_ID, AUTHN_CLIENT_SECRET, PROXY_URI, …); the environment wins over it (default .env)');
  cmd
    .option('--show-secrets', 'Also print the access tokens the dance obtained (to replay requests by hand)');
  addCommonOptions(cmd);
  withExamples(cmd, [
    'okta-bootstrap verify --mulesoft',
    'okta-bootstrap verify --mulesoft --local',
    'okta-bootstrap verify --gateway kong --local          # after okta-bootstrap --standard --local',
    'okta-bootstrap verify --mulesoft --json | jq \'.checks[] | select(.status=="fail")\'',
    'okta-bootstrap verify --input ./my-gateway.json             # any input: its objects exist and are active',
    'PROXY_URI=https://my-proxy.cloudhub.io okta-bootstrap verify --mulesoft   # the matrix against Anypoint',
  ]);
  cmd.action(async (raw: Record<string, unknown>, command: Command) => {
    const flags = await parseOptions(command, verifyOptions, raw);
    const inputName = flags.input === undefined ? undefined : basename(flags.input).replace(/\.json$/i, '');
    const custom = inputName !== undefined && !MULESOFT_INPUTS.includes(inputName) ? inputName : undefined;
    if (!flags.mulesoft && inputName === undefined && !flags.gateway) {
      throw new UsageError('Choose what to verify.', { suggestion: 'Pass --mulesoft (the MuleSoft flow), --input NAME|FILE (any input), or --gateway <kind> after okta-bootstrap --standard.' });
    }
    if (flags.config !== undefined && !flags.gateway) throw new UsageError('--config goes with --gateway.');
    const log = createLogger(flags);
    const org = await resolveOrg(
      { local: flags.local, envFile: flags.envFile, localState: flags.localState, localPort: DEFAULT_LOCAL_PORT, requestTimeoutMs: flags.requestTimeout },
      (m) => log.info(m),
    );
    try {
      const { runVerify, runVerifyInput, renderJson, renderTable } = await import('../verify/index.js');
      let report: VerifyReport;
      if (flags.gateway) {
        const { runGatewayVerify } = await import('../verify/gateway-kind.js');
        log.info(`Verifying the ${flags.gateway} gateway configuration against ${org.credentials.orgUrl} …`);
        report = await runGatewayVerify({ kind: flags.gateway, orgUrl: org.credentials.orgUrl, outputDir: flags.outputDir, envFile: flags.envFile, env: { ...process.env }, config: flags.config });
      } else {
        log.info(`Verifying ${custom ? `what ${custom} set up` : 'the MuleSoft setup'} in ${org.credentials.orgUrl} …`);
        const common = {
          credentials: org.credentials,
          outputDir: flags.outputDir,
          envFile: flags.envFile,
          env: { ...process.env },
          debug: Boolean(flags.debug),
          logger: log,
          showTokens: Boolean(flags.showSecrets),
        };
        report = custom && flags.input !== undefined ? await runVerifyInput({ ...common, input: custom, inputArg: flags.input }) : await runVerify(common);
      }
      log.result((flags.json ? renderJson(report) : renderTable(report, { style: log.style })).replace(/\n$/, ''));
      if (!report.ok) {
        const failed = report.checks.filter((c) => c.status === 'fail');
        throw new CheckFailedError(`verify: ${failed.length} of ${report.checks.length} checks failed: ${failed.map((c) => c.id).join(', ')}`, {
          suggestion: failed[0]?.fix ? `Start with ${failed[0].id}: ${failed[0].fix}` : undefined,
        });
      }
    } finally {
      await org.close();
    }
  });
  program.addCommand(cmd);
}
