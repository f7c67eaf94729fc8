/**
 * `okta-bootstrap --<input>`: the main command (on the root of the program): resolve the values, plan, and create
 * or update the objects. Options parsed by `runOptions`; the engine (src/apply) is imported when the action runs.
 */
import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import { addInputFlags, chosenInput, type BuiltinInput } from './builtins.js';
import { createLogger } from './common.js';
import { addOrgFlags, withOrg } from './credentials.js';
import { collect, parseOptions, type OptionSchemas } from './options.js';

export const runOptions = ({ z, flag, duration, wholeNumber, org, common }: OptionSchemas) =>
  z
    .object({
      outputDir: z.string(),
      set: z.array(z.string()),
      yes: flag,
      adopt: flag,
      dryRun: flag,
      json: flag,
      tag: z.string().optional(),
      newTag: flag,
      concurrency: wholeNumber(1),
      maxWait: duration,
      showSecrets: flag,
    })
    .extend(org.shape)
    .extend(common.shape)
    .refine((o) => !o.json || o.dryRun, { error: 'goes with --dry-run', path: ['json'] })
    .refine((o) => !(o.tag !== undefined && o.newTag), { error: 'and --tag cannot be used together: choose one', path: ['newTag'] });

/** Adds the run's options and action to the root command. */
export function configureRunCommand(program: Command, builtins: BuiltinInput[]): void {
  addInputFlags(program, builtins);
  addOrgFlags(program);
  program
    .option('--output-dir <dir>', 'folder for output files', 'output')
    .option('--set <KEY=VALUE>', 'give a value (repeatable); wins over the environment, .env and defaults', collect, [])
    .option('-y, --yes', 'accept every value and change without asking (same as answering "a" at the first prompt)')
    .option('--adopt', 'adopt existing objects that match by natural key instead of reporting a conflict')
    .option('--dry-run', 'resolve every value and read the org, print the plan, send no write')
    .option('--json', 'with --dry-run: print the plan as JSON')
    .option('--tag <tag>', 'use this TAG instead of the one recorded in the output file')
    .option('--new-tag', 'generate a new TAG (creates a new, separate set of objects)')
    .option('--concurrency <n>', 'objects created at once after values are accepted', '8')
    .option('--max-wait <duration>', 'fail a request only after waiting this long for rate limits (e.g. 10m, 90s)', '10m')
    .option('--show-secrets', 'print client secrets and passwords instead of masking them');

  program.action(async (raw: Record<string, unknown>, cmd: Command) => {
    const input = chosenInput(raw, builtins, false);
    if (!input) {
      program.outputHelp();
      throw new UsageError('No input chosen.', {
        suggestion: `Pass one of ${builtins.map((b) => `--${b.name}`).join(', ')} or --input FILE, or a command such as "local serve".`,
      });
    }
    const flags = await parseOptions(cmd, runOptions, raw);
    const logger = createLogger(flags);
    await withOrg(flags, logger.info, async (org) => {
      const [{ runBootstrap }, { interruptOnSigint, redactedCommand }] = await Promise.all([import('../apply/run.js'), import('./rerun.js')]);
      const interrupt = interruptOnSigint();
      const summary = await runBootstrap({
        input,
        outputDir: flags.outputDir,
        envFile: flags.envFile,
        set: flags.set,
        yes: flags.yes,
        adopt: flags.adopt,
        dryRun: flags.dryRun,
        json: flags.json,
        tag: flags.tag,
        newTag: flags.newTag,
        concurrency: flags.concurrency,
        maxWaitMs: flags.maxWait,
        showSecrets: flags.showSecrets,
        interactive: Boolean(process.stdin.isTTY),
        credentials: org.credentials,
        logger,
        debug: flags.debug,
        signal: interrupt.signal,
        rerunCommand: redactedCommand(process.argv.slice(2)),
        streams: { stderr: process.stderr },
        env: { ...process.env },
      }).finally(() => interrupt.dispose());
      return summary;
    });
  });
}
