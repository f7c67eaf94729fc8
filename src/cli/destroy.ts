/**
 * `okta-bootstrap destroy`: delete everything an output file recorded, in reverse dependency order.
 * Options parsed by `destroyOptions`; the engine (src/apply) is imported when the action runs.
 */
import { Command, Option } from 'commander';
import { UsageError } from '../core/errors.js';
import { addInputFlags, chosenInput, type BuiltinInput } from './builtins.js';
import { addCommonOptions, createLogger, withExamples } from './common.js';
import { addOrgFlags, withOrg } from './credentials.js';
import { parseOptions, type OptionSchemas } from './options.js';

export const destroyOptions = ({ z, flag, org, common }: OptionSchemas) =>
  z
    .object({
      output: z.string().optional(),
      outputDir: z.string(),
      yes: flag,
      cascade: flag,
      dryRun: flag,
    })
    .extend(org.shape)
    .extend(common.shape);

export function destroyCommand(builtins: BuiltinInput[]): Command {
  const destroy = new Command('destroy')
    .summary('Delete what an output file recorded')
    .description(
      'Delete everything an output file recorded, in reverse dependency order, marking each object deleted in that ' +
        'file as it goes (an interrupted destroy finishes when run again). Asks first unless --yes.',
    );
  const group = 'What to destroy (choose one):';
  addInputFlags(destroy, builtins, {
    group,
    builtin: (b) => `Delete what the --${b.name} runs created (recorded in <output-dir>/${b.name}.json)`,
    input: 'Delete what runs of this input file created (recorded in <output-dir>/<its base name>.json)',
  });
  destroy.addOption(new Option('--output <file>', 'Delete what this output file recorded, e.g. a per-run copy').helpGroup(group));
  addOrgFlags(destroy);
  destroy
    .option('--output-dir <dir>', 'Folder of the output files (default output)', 'output')
    .option('-y, --yes', 'Do not ask for confirmation')
    .option('--cascade', 'Also destroy the outputs built on top of this one (e.g. mulesoft_policy before mulesoft)')
    .option('--dry-run', 'List what would be deleted, delete nothing');
  addCommonOptions(destroy);
  withExamples(destroy, [
    'okta-bootstrap destroy --mulesoft_policy',
    'okta-bootstrap destroy --mulesoft --cascade --yes',
    'okta-bootstrap destroy --output output/20261122-1015_mulesoft.json',
  ]);
  destroy.action(async (raw: Record<string, unknown>, cmd: Command) => {
    const flags = await parseOptions(cmd, destroyOptions, raw);
    const input = chosenInput(raw, builtins, false);
    if (!input && !flags.output) {
      throw new UsageError('Name what to destroy: --<input> or --output FILE.', {
        suggestion: `Pass one of ${builtins.map((b) => `--${b.name}`).join(', ')}, --input FILE or --output FILE (see "okta-bootstrap destroy --help").`,
      });
    }
    if (input && flags.output) throw new UsageError('Use --<input> or --output FILE, not both.');
    const logger = createLogger(flags);
    await withOrg(flags, logger.info, async (org) => {
      const { runDestroy } = await import('../apply/destroy.js');
      return runDestroy({
        input,
        outputFile: flags.output,
        outputDir: flags.outputDir,
        yes: flags.yes,
        cascade: flags.cascade,
        interactive: Boolean(process.stdin.isTTY),
        credentials: org.credentials,
        logger,
        debug: flags.debug,
        // destroy prints no secret (ids and names only), so it has no --show-secrets
        showSecrets: false,
        dryRun: flags.dryRun,
        streams: { stderr: process.stderr },
      });
    });
  });
  return destroy;
}
