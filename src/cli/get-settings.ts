/**
 * get-settings: prints the values a person copies into Anypoint (`--mulesoft_introspect`) or into the app's
 * .env (`--mulesoft`), read from the output files, .env and the environment. It only reads files: no Okta SDK,
 * no inquirer (src/cli/get-settings.graph.test.ts checks the module graph).
 */
import { Command, Option } from 'commander';
import { UsageError } from '../core/errors.js';
import { colorEnabled, createStyle } from '../core/style.js';
import { mergeEnvFile } from '../settings/env-file.js';
import { FORMATS, renderSettings } from '../settings/format.js';
import { PROFILE_NAMES, resolveSettings, type SettingsProfileName } from '../settings/profiles.js';
import { addCommonOptions, configureProgram, createLogger, packageVersion, runMain, unknownCommandError, withExamples } from './common.js';
import { DEFAULT_LOCAL_STATE } from './credentials.js';
import { parseOptions, type OptionSchemas, type OptionsOf } from './options.js';

export const getSettingsOptions = ({ z, flag, optionalValue, common }: OptionSchemas) =>
  z
    .object({
      mulesoft: flag,
      mulesoft_introspect: flag,
      input: z.string().optional(),
      format: z.enum(FORMATS),
      outputDir: z.string(),
      envFile: z.string(),
      writeEnv: optionalValue,
      showSecrets: flag,
      local: flag,
      localState: z.string(),
    })
    .extend(common.shape);

type GetSettingsFlags = OptionsOf<typeof getSettingsOptions>;

export function buildProgram(run: (flags: GetSettingsFlags) => Promise<number>): Command {
  const program = new Command('get-settings')
    .description(
      "Print the values to enter in MuleSoft Anypoint (--mulesoft_introspect) or the app's .env (--mulesoft),\n" +
        'read from the output files of okta-bootstrap, .env and the environment (an environment value wins).\n' +
        'Exit code 0: every value found; 1: some value missing (the others are still printed); 2: bad usage.',
    )
    .version(packageVersion(), '--version')
    // `get-settings help` prints help (exit 0); any other word is a usage error naming the closest flag.
    .helpCommand(true)
    .allowExcessArguments(true)
    .option('--mulesoft_introspect', "values for Anypoint's \"OpenID Connect Dynamic Client Registration\" form")
    .option('--mulesoft', "the app's .env values and the gateway's resource → scopes policies")
    .option('--input <name>', `choose the profile by name (${PROFILE_NAMES.join(', ')}); a path's base name counts`)
    .addOption(new Option('--format <format>', 'output format').choices([...FORMATS]).default('text'))
    .option('--output-dir <dir>', 'folder of the output files', './output')
    .option('--env-file <file>', '.env file to read (and the default of --write-env)', '.env')
    .option('--write-env [file]', 'merge the values into a .env file (real values, mode 0600; other lines kept)')
    .option('--show-secrets', 'print client secrets and passwords instead of ********')
    .option('--local', "use the local tenant's org URL and API token (from its state file; no server is started)")
    .addOption(new Option('--local-state <file>', 'local tenant state file').default(DEFAULT_LOCAL_STATE).hideHelp());
  addCommonOptions(program);
  withExamples(program, [
    'get-settings --mulesoft_introspect                    # Anypoint: Client Providers → OpenID Connect DCR',
    'get-settings --mulesoft --write-env                   # merge the app values into ./.env',
    'get-settings --mulesoft --format json --show-secrets  # for scripts',
    'get-settings --input mulesoft --local --output-dir output/local --env-file .okta-local/demo.env',
  ]);
  configureProgram(program);
  program.action(async (raw: Record<string, unknown>, cmd: Command) => {
    if (cmd.args.length > 0) throw unknownCommandError(cmd, cmd.args[0] ?? '');
    process.exitCode = await run(await parseOptions(cmd, getSettingsOptions, raw));
  });
  return program;
}

export function profileOf(flags: Pick<GetSettingsFlags, 'mulesoft' | 'mulesoft_introspect' | 'input'>): SettingsProfileName {
  const chosen: string[] = [];
  if (flags.mulesoft_introspect) chosen.push('mulesoft_introspect');
  if (flags.mulesoft) chosen.push('mulesoft');
  if (flags.input !== undefined) {
    const base = (flags.input.replace(/\\/g, '/').split('/').pop() ?? '').replace(/\.json$/i, '');
    if (!(PROFILE_NAMES as readonly string[]).includes(base)) {
      throw new UsageError(`Unknown settings profile "${flags.input}".`, {
        suggestion: `Use one of: ${PROFILE_NAMES.join(', ')}.`,
      });
    }
    chosen.push(base);
  }
  const unique = [...new Set(chosen)];
  if (unique.length === 0) {
    throw new UsageError('Choose what to print.', {
      suggestion: 'Pass --mulesoft_introspect (Anypoint\'s DCR form) or --mulesoft (the app\'s .env), or --input NAME.',
    });
  }
  if (unique.length > 1) throw new UsageError(`Choose one profile, not ${unique.join(' and ')}.`);
  return unique[0] as SettingsProfileName;
}

async function getSettings(flags: GetSettingsFlags, secrets: string[]): Promise<number> {
  const log = createLogger(flags);
  const profile = profileOf(flags);
  // Loaded here, not at the top: it reads output files through their zod schema, and --help must not load zod.
  const { loadSettingsSources } = await import('../settings/load.js');
  const sources = await loadSettingsSources({
    profile,
    outputDir: flags.outputDir,
    envFile: flags.envFile,
    localState: flags.local ? flags.localState : undefined,
  });
  const result = resolveSettings(profile, sources);
  for (const v of result.values) if (v.token) secrets.push(v.value.replace(/^SSWS\s+/, ''));
  const style = createStyle(colorEnabled(process.stdout));
  log.result(
    renderSettings(result, flags.format, {
      showSecrets: Boolean(flags.showSecrets),
      verbose: log.level.verbose,
      style,
    }).replace(/\n$/, ''),
  );
  if (flags.writeEnv !== undefined && flags.writeEnv !== false) {
    const file = typeof flags.writeEnv === 'string' ? flags.writeEnv : flags.envFile;
    // Never the API token: it stays where the person put it.
    const values = Object.fromEntries(result.values.filter((v) => !v.token).map((v) => [v.key, v.value]));
    const r = await mergeEnvFile(file, values);
    log.info(
      `Wrote ${file} (mode 0600, real values, not masked): ${r.added.length} added, ${r.updated.length} updated, ` +
        `${r.unchanged.length} unchanged; other lines kept.`,
    );
  }
  if (result.missing.length > 0) {
    for (const m of result.missing) log.warn(log.errStyle.red(`✖ ${m.key}: not found — ${m.hint}`));
    return 1;
  }
  if (!flags.showSecrets && result.values.some((v) => v.secret && !v.token)) log.info(log.errStyle.dim('Secrets are masked: add --show-secrets to print them.'));
  const token = result.values.find((v) => v.token);
  if (token && flags.format === 'text') {
    // OKTA_API_TOKEN is never printed, not even on request: the person pastes it from where they keep it.
    const where =
      token.source === 'local tenant'
        ? "the local tenant's token (`okta-bootstrap local info` prints it)"
        : token.source === 'environment'
          ? 'your API token (OKTA_API_TOKEN in the environment)'
          : `your API token (OKTA_API_TOKEN in ${token.source})`;
    log.info(log.errStyle.dim(`Authorization Header: "SSWS " followed by ${where}; get-settings never prints the token.`));
  }
  return 0;
}

/** bin/get-settings.js calls this with process.argv. */
export async function main(argv: string[]): Promise<void> {
  const secrets = [process.env.OKTA_API_TOKEN, process.env.OKTA_CLIENT_TOKEN].filter((s): s is string => !!s);
  await runMain(
    argv,
    async () => {
      await buildProgram((flags) => getSettings(flags, secrets)).parseAsync(argv);
      return typeof process.exitCode === 'number' ? process.exitCode : 0;
    },
    () => secrets,
  );
}
