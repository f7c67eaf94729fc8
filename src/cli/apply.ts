/**
 * `okta-bootstrap --<input>`: the main command (on the root of the program): resolve the values, plan, and create
 * or update the objects. Options parsed by `runOptions`; the engine (src/apply) is imported when the action runs.
 */
import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import { addInputFlags, chosenInput, sentenceCase, type BuiltinInput } from './builtins.js';
import { createLogger } from './common.js';
import { addOrgFlags, withOrg } from './credentials.js';
import { collect, parseOptions, type OptionSchemas } from './options.js';
import { TAG_PATTERN } from '../core/output-names.js';

export const runOptions = ({ z, flag, duration, wholeNumber, org, common }: OptionSchemas) =>
  z
    .object({
      outputDir: z.string(),
      set: z.array(z.string()),
      yes: flag,
      adopt: flag,
      dryRun: flag,
      json: flag,
      tag: z
        .string()
        .regex(TAG_PATTERN, { error: 'must be 1 to 64 letters, digits, dots, dashes or underscores, not starting with a dot (it names the record of its set, <input>.<TAG>.json)' })
        .optional(),
      newTag: flag,
      concurrency: wholeNumber(1),
      maxWait: duration,
      showSecrets: flag,
    })
    .extend(org.shape)
    .extend(common.shape)
    .refine((o) => !o.json || o.dryRun, { error: 'goes with --dry-run', path: ['json'] })
    .refine((o) => !(o.tag !== undefined && o.newTag), { error: 'and --tag cannot be used together: choose one', path: ['newTag'] });

/**
 * Refuses, before any request, a --set key the input neither defines nor references (exit 2, with the closest
 * key). The input is read here once more (the engine reads it again): this check needs its keys only.
 */
async function checkSetFlags(input: string, set: string[], outputDir: string): Promise<void> {
  if (set.length === 0) return;
  const [{ loadInput }, { checkSetKeys, parseSetFlags, settableKeys }] = await Promise.all([import('../input/load.js'), import('../resolve/sources.js')]);
  const given = parseSetFlags(set);
  // Every reference counts as known here: an undefined reference is the engine's warning to give, not this check's.
  const loaded = await loadInput(input, { knownExternal: () => true, outputDir });
  checkSetKeys(given, settableKeys(loaded.entries), loaded.name);
}

/** Adds the run's options and action to the root command. */
export function configureRunCommand(program: Command, builtins: BuiltinInput[]): void {
  addInputFlags(program, builtins, {
    group: 'Input (choose one):',
    builtin: (b) => sentenceCase(b.description),
    input: 'Run any input file in the okta-bootstrapper format',
  });
  addOrgFlags(program);
  program
    .option('--output-dir <dir>', 'Folder for output files (default output)', 'output')
    .option('--set <KEY=VALUE>', 'Give a value (repeatable); wins over the environment, .env and defaults; KEY must be a key the input has', collect, [])
    .option('-y, --yes', 'Accept every value and change without asking (same as answering "a" at the first prompt)')
    .option('--adopt', 'Adopt existing objects that match by natural key instead of reporting a conflict')
    .option('--dry-run', 'Resolve every value and read the org, print the plan, send no write')
    .option('--json', 'With --dry-run: print the plan as JSON')
    .option('--tag <tag>', 'Use this TAG instead of the one recorded in the output file')
    .option('--new-tag', 'Generate a new TAG (creates a new, separate set of objects)')
    .option('--concurrency <n>', 'How many objects are created at once after values are accepted (default 8)', '8')
    .option('--max-wait <duration>', 'Fail a request only after waiting this long for rate limits, e.g. 90s (default 10m)', '10m')
    .option('--show-secrets', 'Print client secrets and passwords instead of masking them');

  program.action(async (raw: Record<string, unknown>, cmd: Command) => {
    const input = chosenInput(raw, builtins, false);
    if (!input) {
      program.outputHelp();
      throw new UsageError('No input chosen.', {
        suggestion: `Pass one of ${builtins.map((b) => `--${b.name}`).join(', ')} or --input FILE, or a command such as "local serve".`,
      });
    }
    const flags = await parseOptions(cmd, runOptions, raw);
    await checkSetFlags(input, flags.set, flags.outputDir);
    const logger = createLogger(flags);
    await withOrg(flags, logger.info, async (org) => {
      const [{ runBootstrap }, { interruptOnSigint, redactedCommand, withoutSetFlags }, { acquireOutputLock }] = await Promise.all([
        import('../apply/run.js'),
        import('./rerun.js'),
        import('../core/lock.js'),
      ]);
      const argv = process.argv.slice(2);
      const interrupt = interruptOnSigint();
      // a closed pipe (`… | head -3`) must not stop a run halfway: what cannot be written is dropped, the run finishes
      for (const s of [process.stdout, process.stderr]) {
        s.on('error', (e: NodeJS.ErrnoException) => {
          if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
        });
      }
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
        rerunCommand: redactedCommand(withoutSetFlags(argv)),
        lock: (recordFile) => acquireOutputLock(recordFile, redactedCommand(argv), (line) => logger.warn(line)),
        streams: { stderr: process.stderr },
        env: { ...process.env },
      }).finally(() => interrupt.dispose());
      return summary;
    });
  });
}
