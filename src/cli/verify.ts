/**
 * `okta-bootstrap verify --mulesoft`: runs the checks of src/verify and prints them as a table (or --json).
 * Exit 0 when every check passes or is skipped, 1 when any fails (CheckFailedError, rendered by runMain).
 */
import { Command } from 'commander';
import { CheckFailedError, UsageError } from '../core/errors.js';
import { addCommonOptions, createLogger, withExamples } from './common.js';
import { addOrgFlags, DEFAULT_LOCAL_PORT, resolveOrg } from './credentials.js';
import { parseOptions, type OptionSchemas } from './options.js';

export const verifyOptions = ({ z, flag, org, common }: OptionSchemas) =>
  z.object({ mulesoft: flag, json: flag, outputDir: z.string(), showSecrets: flag }).extend(org.shape).extend(common.shape);

export function registerVerifyCommand(program: Command): void {
  const cmd = new Command('verify').description(
    'Prove the OAuth dance works end to end: the authorization server, the introspection credentials, an audit of ' +
      'the configuration, the live dance for the silver and gold users, and the access matrix through the gateway ' +
      '(PROXY_URI when set, else the local gateway in-process). Each failure names the wrong object and the fix. ' +
      'Exit code 0: no check failed; 1: some check failed.',
  );
  cmd
    .option('--mulesoft', 'verify the MuleSoft flow (output/mulesoft.json + output/mulesoft_policy.json)')
    .option('--json', 'print the results as JSON (same checks, same statuses)')
    .option('--output-dir <dir>', 'folder of the output files', 'output');
  addOrgFlags(cmd, '.env file (AUTHN_CLIENT_ID, AUTHN_CLIENT_SECRET, PROXY_URI, …); the environment wins over it');
  cmd
    .option('--show-secrets', 'also print the access tokens the dance obtained (to replay requests by hand)');
  addCommonOptions(cmd);
  withExamples(cmd, [
    'okta-bootstrap verify --mulesoft',
    'okta-bootstrap verify --mulesoft --local',
    'okta-bootstrap verify --mulesoft --json | jq \'.checks[] | select(.status=="fail")\'',
    'PROXY_URI=https://my-proxy.cloudhub.io okta-bootstrap verify --mulesoft   # the matrix against Anypoint',
  ]);
  cmd.action(async (raw: Record<string, unknown>, command: Command) => {
    const flags = await parseOptions(command, verifyOptions, raw);
    if (!flags.mulesoft) throw new UsageError('Choose what to verify.', { suggestion: 'Pass --mulesoft (the only flow verify knows).' });
    const log = createLogger(flags);
    const org = await resolveOrg(
      { local: flags.local, envFile: flags.envFile, localState: flags.localState, localPort: DEFAULT_LOCAL_PORT, requestTimeoutMs: flags.requestTimeout },
      log.info,
    );
    try {
      const { runVerify, renderJson, renderTable } = await import('../verify/index.js');
      log.info(`Verifying the MuleSoft setup in ${org.credentials.orgUrl} …`);
      const report = await runVerify({
        credentials: org.credentials,
        outputDir: flags.outputDir,
        envFile: flags.envFile,
        env: { ...process.env },
        debug: Boolean(flags.debug),
        logger: log,
        showTokens: Boolean(flags.showSecrets),
      });
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
