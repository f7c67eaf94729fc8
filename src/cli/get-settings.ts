/**
 * get-settings: prints the values a person copies into Anypoint (`--mulesoft_introspect`) or into the app's
 * .env (`--mulesoft`), or the saved values of any input (`--input FILE`: src/settings/generic.ts), read from the
 * output files, .env and the environment. It only reads files: no Okta SDK, no inquirer
 * (src/cli/get-settings.graph.test.ts checks the module graph).
 */
import { existsSync } from 'node:fs';
import { Command, Option } from 'commander';
import { UsageError } from '../core/errors.js';
import { colorEnabled, createStyle } from '../core/style.js';
import { isSecretName } from '../core/mask.js';
import { mergeEnvFile } from '../settings/env-file.js';
import { FORMATS, renderSettings } from '../settings/format.js';
import { PROFILE_NAMES, resolveSettings, type SettingsProfileName, type SettingsResult } from '../settings/profiles.js';
import { addCommonOptions, configureProgram, createLogger, packageVersion, runMain, unknownCommandError, withExamples } from './common.js';
import { DEFAULT_LOCAL_STATE } from './credentials.js';
import { gatewayKindOf, runGatewayProfile } from './get-settings-gateway.js';
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
      kong: flag,
      kongOss: flag,
      aws: flag,
      tyk: flag,
      apigee: flag,
      mulesoft_jwt: flag,
      swag: flag,
      raml: flag,
      mode: z.enum(['bearer', 'introspection']).optional(),
      out: z.string().optional(),
      policies: z.string().optional(),
      upstream: z.string().optional(),
    })
    .extend(common.shape);

type GetSettingsFlags = OptionsOf<typeof getSettingsOptions>;

export function buildProgram(run: (flags: GetSettingsFlags) => Promise<number>): Command {
  const group = 'What to print (choose one):';
  const gw = 'Gateway configuration (choose one, instead of the above):';
  const program = new Command('get-settings')
    .description(
      "Print the values to enter in MuleSoft Anypoint (--mulesoft_introspect), the app's .env (--mulesoft) or the " +
        'saved values of any input (--input), read from the output files of okta-bootstrap, .env and the environment ' +
        '(an environment value wins). Exit code 0: every value found; 1: some value missing (the others are still ' +
        'printed); 2: bad usage, or secrets that would be written masked (--format env or json into a file or pipe).',
    )
    // `get-settings help` prints help (exit 0); any other word is a usage error naming the closest flag.
    .helpCommand('help', 'Show this help')
    .allowExcessArguments(true)
    .addOption(new Option('--mulesoft_introspect', "Values for Anypoint's \"OpenID Connect Dynamic Client Registration\" form").helpGroup(group))
    .addOption(new Option('--mulesoft', "The app's .env values and the gateway's resource → scopes policies").helpGroup(group))
    .addOption(
      new Option(
        '--input <name|file>',
        `A profile (${PROFILE_NAMES.join(', ')}; a path's base name counts), or any input, built-in or a file: every value it saves to its output, in its order`,
      ).helpGroup(group),
    )
    .addOption(new Option('--kong', 'Kong Gateway: a decK file (kong.yaml) with the openid-connect plugin per route').helpGroup(gw))
    .addOption(new Option('--kong-oss', 'Refused: the open-source jwt plugin needs a static PEM and breaks at Okta key rotation').helpGroup(gw))
    .addOption(new Option('--aws', 'AWS API Gateway HTTP API: a CloudFormation template with a JWT authorizer and scoped routes').helpGroup(gw))
    .addOption(new Option('--tyk', 'Tyk Gateway: a Tyk OAS API definition with JWT, and its policies').helpGroup(gw))
    .addOption(new Option('--apigee', 'Apigee X: an API proxy bundle (apiproxy/) with VerifyJWT and scope flows').helpGroup(gw))
    .addOption(new Option('--mulesoft_jwt', "MuleSoft's JWT Validation policy: Flex Local Mode bindings and Anypoint Terraform").helpGroup(gw))
    .addOption(new Option('--swag', 'Software AG webMethods API Gateway: the external authorization server alias values').helpGroup(gw))
    .option('--raml', "With --mulesoft: the RAML for Design Center with Okta's authorize and token URLs")
    .addOption(new Option('--mode <mode>', 'With --kong: validate tokens locally (bearer, the default) or by introspection'))
    .option('--out <dir>', 'With a gateway profile: write its files into this folder (mode 0600)')
    .option('--policies <file>', "With a gateway profile: the resource → scopes map (by default the output's GATEWAY_POLICIES, else the built-in one)")
    .option('--upstream <url>', 'With a gateway profile: the API the gateway proxies to (by default UPSTREAM_URL, else http://localhost:8082)')
    // after the choices of what to print, so that their headings come first in --help
    .version(packageVersion(), '--version', 'Print the version')
    .addOption(new Option('--format <format>', `Output format: ${FORMATS.join(', ')} (default text)`).choices([...FORMATS]).default('text'))
    .option('--output-dir <dir>', 'Folder of the output files (default ./output)', './output')
    .option('--env-file <file>', '.env file to read, and where --write-env writes unless given a file (default .env)', '.env')
    .option('--write-env [file]', 'Merge the values into a .env file (real values, mode 0600; other lines kept)')
    .option('--show-secrets', 'Print client secrets and passwords instead of ******** (needed for --format env or json into a file)')
    .option('--local', "Use the local tenant's org URL and API token (from its state file; no server is started)")
    .addOption(new Option('--local-state <file>', 'Local tenant state file').default(DEFAULT_LOCAL_STATE).hideHelp());
  addCommonOptions(program);
  withExamples(program, [
    'get-settings --mulesoft_introspect                    # Anypoint: Client Providers → OpenID Connect DCR',
    'get-settings --mulesoft --write-env                   # merge the app values into ./.env',
    'get-settings --mulesoft --format json --show-secrets  # for scripts',
    'get-settings --input mulesoft --local --output-dir output/local --env-file .okta-local/demo.env',
    'get-settings --input ./my-gateway.json --format env --show-secrets > app.env   # any input\'s saved values',
    'get-settings --kong --out gateway/                     # kong.yaml, then: deck gateway sync gateway/kong.yaml',
    'get-settings --mulesoft --raml --out gateway/          # the RAML for Design Center',
  ]);
  configureProgram(program);
  program.action(async (raw: Record<string, unknown>, cmd: Command) => {
    if (cmd.args.length > 0) throw unknownCommandError(cmd, cmd.args[0] ?? '');
    process.exitCode = await run(await parseOptions(cmd, getSettingsOptions, raw));
  });
  return program;
}

/** A built-in profile, or an input (built-in or a file) whose saved values make a generic profile. */
export type ChosenProfile = { kind: 'profile'; name: SettingsProfileName } | { kind: 'input'; arg: string };

const isProfileName = (s: string): s is SettingsProfileName => (PROFILE_NAMES as readonly string[]).includes(s);

export function profileOf(flags: Pick<GetSettingsFlags, 'mulesoft' | 'mulesoft_introspect' | 'input'>): ChosenProfile {
  const chosen: ChosenProfile[] = [];
  if (flags.mulesoft_introspect) chosen.push({ kind: 'profile', name: 'mulesoft_introspect' });
  if (flags.mulesoft) chosen.push({ kind: 'profile', name: 'mulesoft' });
  if (flags.input !== undefined) {
    const base = (flags.input.replace(/\\/g, '/').split('/').pop() ?? '').replace(/\.json$/i, '');
    chosen.push(isProfileName(base) ? { kind: 'profile', name: base } : { kind: 'input', arg: flags.input });
  }
  const names = [...new Set(chosen.map((c) => (c.kind === 'profile' ? c.name : c.arg)))];
  const first = chosen[0];
  if (!first) {
    throw new UsageError('Choose what to print.', {
      suggestion: 'Pass --mulesoft_introspect (Anypoint\'s DCR form) or --mulesoft (the app\'s .env), or --input NAME|FILE.',
    });
  }
  if (names.length > 1) throw new UsageError(`Choose one profile, not ${names.join(' and ')}.`);
  return first;
}

/** The settings of the chosen profile; an input with no profile of its own gets the generic one. */
async function resolveChosen(chosen: ChosenProfile, flags: GetSettingsFlags): Promise<SettingsResult> {
  // Loaded here, not at the top: they read files through zod schemas, and --help must not load zod.
  const { loadSettingsSources } = await import('../settings/load.js');
  const common = { outputDir: flags.outputDir, envFile: flags.envFile, localState: flags.local ? flags.localState : undefined, objectsFirst: true };
  if (chosen.kind === 'profile') return resolveSettings(chosen.name, await loadSettingsSources({ profile: chosen.name, ...common }));
  const [{ loadInput, resolveInputFile }, { resolveGenericSettings }, { builtinInputs }] = await Promise.all([
    import('../input/load.js'),
    import('../settings/generic.js'),
    import('../input/builtins.js'),
  ]);
  if (!existsSync(resolveInputFile(chosen.arg).file)) {
    throw new UsageError(`"${chosen.arg}" is neither a settings profile nor an input file.`, {
      suggestion: `Use one of ${[...PROFILE_NAMES, ...builtinInputs().map((b) => b.name).filter((n) => !isProfileName(n))].join(', ')}, or the path of an input file.`,
    });
  }
  // Only its keys matter here: every reference counts as known (the run warns about undefined ones).
  const loaded = await loadInput(chosen.arg, { knownExternal: () => true });
  const keys = Object.entries(loaded.entries).filter(([, e]) => e.saveToOutput === true).map(([k]) => k);
  const sources = await loadSettingsSources({ outputs: [loaded.name], ...common });
  return resolveGenericSettings({ name: loaded.name, inputArg: chosen.arg, keys }, sources, sources.outputs[loaded.name]);
}

/**
 * env and json go to files and scripts: written into one, a masked secret would be a placeholder (`********`)
 * where the value belongs. So when stdout is not a terminal and secrets would be masked: exit 2 before printing.
 */
function refuseMaskedToFile(result: SettingsResult, flags: GetSettingsFlags): void {
  if (flags.format === 'text' || flags.showSecrets || process.stdout.isTTY) return;
  const masked = result.values.filter((v) => v.secret && !v.token).map((v) => v.key);
  if (masked.length === 0) return;
  throw new UsageError(`Secrets are masked: add --show-secrets, or use --write-env (${masked.join(', ')} would be written as ********).`, {
    suggestion: '--show-secrets prints the real values into the file or pipe; --write-env merges them into a .env file (mode 0600).',
  });
}

async function getSettings(flags: GetSettingsFlags, secrets: string[]): Promise<number> {
  const log = createLogger(flags);
  const gateway = gatewayKindOf(flags);
  if (gateway !== undefined) return runGatewayProfile(gateway, flags, log);
  const result = await resolveChosen(profileOf(flags), flags);
  for (const v of result.values) if (v.token) secrets.push(v.value.replace(/^SSWS\s+/, ''));
  refuseMaskedToFile(result, flags);
  // a value the run read from an object comes from its output: an older one in the environment or .env is not used
  for (const i of result.ignored ?? []) {
    const shown = (v: string) => (flags.showSecrets || !isSecretName(i.key) ? JSON.stringify(v) : '********');
    log.warn(`! ${i.key}: ${i.source} holds ${shown(i.value)}, which is not used: ${i.usedSource} has ${shown(i.used)}, read from the object the run made.`);
  }
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
