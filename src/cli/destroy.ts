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
      tag: z.string().optional(),
      all: flag,
      yes: flag,
      cascade: flag,
      dryRun: flag,
    })
    .extend(org.shape)
    .extend(common.shape)
    .refine((o) => !(o.tag !== undefined && o.all), { error: 'and --all cannot be used together: --tag names one set, --all every set', path: ['tag'] });

export function destroyCommand(builtins: BuiltinInput[]): Command {
  const destroy = new Command('destroy')
    .summary('Delete what a record owns')
    .description(
      'Delete everything a record owns, in reverse dependency order, marking each object deleted in the record as it ' +
        'goes (an interrupted destroy finishes when run again). Each object is read first: Okta\'s own objects, and an ' +
        'id that now names another object, are kept (exit 1). Shared objects are released, not deleted; an object another ' +
        'record still uses is handed over to it. Asks first unless --yes.',
    );
  const group = 'What to destroy (choose one):';
  addInputFlags(destroy, builtins, {
    group,
    builtin: (b) => `Delete what the --${b.name} runs created (its current set, recorded in <output-dir>/${b.name}.json)`,
    input: 'Delete what runs of this input file created (its current set, recorded in <output-dir>/<its base name>.json)',
  });
  destroy.addOption(new Option('--output <file>', 'Delete what this record owns (<input>.json or an earlier set\'s <input>.<TAG>.json; not a per-run snapshot)').helpGroup(group));
  addOrgFlags(destroy);
  destroy
    .option('--output-dir <dir>', 'Folder of the output files (default output)', 'output')
    .option('--tag <tag>', 'With --<input>: the set of this TAG (the current one or an earlier one, <input>.<TAG>.json)')
    .option('--all', 'With --<input>: every set of the input, the current one and the earlier ones')
    .option('-y, --yes', 'Do not ask for confirmation')
    .option('--cascade', 'Also destroy the records built on top of this one, any of their sets (e.g. mulesoft_policy before mulesoft)')
    .option('--dry-run', 'List what would be deleted, delete nothing');
  addCommonOptions(destroy);
  withExamples(destroy, [
    'okta-bootstrap destroy --mulesoft_policy',
    'okta-bootstrap destroy --mulesoft --cascade --yes',
    'okta-bootstrap destroy --mulesoft --tag autogen20261201-1954-k3f9 --yes  # an earlier set',
    'okta-bootstrap destroy --mulesoft --all --cascade --dry-run              # every set, listed',
    'okta-bootstrap destroy --output output/mulesoft.json',
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
    if (!input && (flags.tag !== undefined || flags.all)) {
      throw new UsageError(`--${flags.all ? 'all' : 'tag'} chooses among the sets of an input: name it with --<input>.`, {
        suggestion: '--output FILE names one record by path already; okta-bootstrap ls lists the sets of a folder.',
      });
    }
    const logger = createLogger(flags);
    await withOrg(flags, logger.info, async (org) => {
      const [{ runDestroy }, { interruptOnSigint, redactedCommand }] = await Promise.all([import('../apply/destroy.js'), import('./rerun.js')]);
      const interrupt = interruptOnSigint();
      return runDestroy({
        input,
        outputFile: flags.output,
        outputDir: flags.outputDir,
        tag: flags.tag,
        all: flags.all,
        command: redactedCommand(process.argv.slice(2)),
        signal: interrupt.signal,
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
      }).finally(() => interrupt.dispose());
    });
  });
  return destroy;
}
