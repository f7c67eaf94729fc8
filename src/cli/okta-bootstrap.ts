/**
 * okta-bootstrap: the main command. Thin: it parses options, calls the core, and sends errors to the
 * one renderer (runMain). Heavy modules (the Okta SDK, inquirer, fastify) are imported lazily inside
 * actions, so `okta-bootstrap --help` stays fast.
 */
import { Command, Option } from 'commander';
import { addCommonOptions, configureProgram, createLogger, packageVersion, runMain, withExamples, type CommonOptions } from './common.js';
import { UsageError } from '../core/errors.js';
import { listBuiltinInputs, type BuiltinInput } from './builtins.js';
import { DEFAULT_LOCAL_PORT, DEFAULT_LOCAL_STATE, resolveOrg, type ResolvedOrg } from './credentials.js';

export interface RunFlags extends CommonOptions {
  input?: string;
  outputDir: string;
  envFile?: string;
  set: string[];
  yes?: boolean;
  adopt?: boolean;
  dryRun?: boolean;
  json?: boolean;
  tag?: string;
  newTag?: boolean;
  concurrency: string;
  maxWait: string;
  showSecrets?: boolean;
  local?: boolean;
  localState?: string;
  [builtin: string]: unknown;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** The input chosen by --<builtin> or --input FILE; exactly one. */
export function chosenInput(flags: Record<string, unknown>, builtins: BuiltinInput[], required = true): string | undefined {
  const chosen = builtins.filter((b) => flags[b.name] === true).map((b) => b.name);
  if (typeof flags.input === 'string') chosen.push(flags.input);
  if (chosen.length > 1) throw new UsageError(`Choose one input, not ${chosen.length}: ${chosen.join(', ')}.`);
  if (chosen.length === 0 && required) {
    throw new UsageError('No input chosen.', {
      suggestion: `Pass one of ${builtins.map((b) => `--${b.name}`).join(', ')} or --input FILE.`,
    });
  }
  return chosen[0];
}

function parseDuration(raw: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(raw.trim());
  if (!m) throw new UsageError(`${flag} takes a duration such as 90s, 10m or 600000ms, not "${raw}".`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return n * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const)[unit as 'ms' | 's' | 'm' | 'h'];
}

function parsePositiveInt(raw: string, flag: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} takes a whole number ≥ 1, not "${raw}".`);
  return n;
}

function addInputFlags(cmd: Command, builtins: BuiltinInput[]): Command {
  for (const b of builtins) cmd.option(`--${b.name}`, b.description);
  return cmd.option('--input <file>', 'run any input file in the okta-bootstrapper format');
}

function addOrgFlags(cmd: Command): Command {
  return cmd
    .option('--local', 'use the embedded local Okta tenant (no Okta account needed)')
    .addOption(new Option('--local-state <file>', 'local tenant state file').default(DEFAULT_LOCAL_STATE).hideHelp())
    .option('--env-file <file>', 'dotenv file with OKTA_TENANT, OKTA_API_TOKEN and other values', '.env');
}

export function buildProgram(builtins: BuiltinInput[]): Command {
  const program = configureProgram(new Command('okta-bootstrap'));
  program
    .description(
      'Set up an Okta org for API Access Management behind an API gateway, from a declarative input file.\n' +
        'Each value is shown and you choose: (C)ontinue, (p)rovide another, (a)uto-accept the rest, or (q)uit.',
    )
    .version(packageVersion(), '--version', 'print the version')
    .enablePositionalOptions()
    .usage('[--<input> | --input FILE] [options]  |  <command> [options]');
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
  addCommonOptions(program);
  withExamples(program, [
    'okta-bootstrap --mulesoft --local --yes          # everything against the embedded local tenant',
    'okta-bootstrap --mulesoft                        # auth server, scopes, groups, users, introspection client',
    'get-settings --mulesoft_introspect               # values for Anypoint\'s DCR form',
    'okta-bootstrap register-client --name "Solar System Auth" --redirect-uri http://localhost:8080 --write-env',
    'okta-bootstrap --mulesoft_policy --yes           # access policy + rules for the client Anypoint registered',
    'get-settings --mulesoft                          # the app\'s .env',
    'okta-bootstrap --mulesoft --dry-run              # the plan, no writes',
    'okta-bootstrap --input ./my-gateway.json --set PORT=9090',
    'okta-bootstrap verify --mulesoft                 # prove the OAuth dance works',
    'okta-bootstrap destroy --mulesoft_policy && okta-bootstrap destroy --mulesoft',
  ]);
  program.addHelpText(
    'after',
    `\nBuilt-in inputs:\n${builtins.map((b) => `  --${b.name.padEnd(20)} ${b.description}`).join('\n')}\n`,
  );

  program.action(async (flags: RunFlags) => {
    const input = chosenInput(flags, builtins, false);
    if (!input) {
      program.outputHelp();
      throw new UsageError('No input chosen.', {
        suggestion: `Pass one of ${builtins.map((b) => `--${b.name}`).join(', ')} or --input FILE, or a command such as "local serve".`,
      });
    }
    if (flags.json && !flags.dryRun) throw new UsageError('--json goes with --dry-run.');
    if (flags.tag && flags.newTag) throw new UsageError('Use --tag or --new-tag, not both.');
    const concurrency = parsePositiveInt(flags.concurrency, '--concurrency');
    const maxWaitMs = parseDuration(flags.maxWait, '--max-wait');
    const logger = createLogger(flags);
    await withOrg(flags, logger.info, async (org) => {
      const [{ runBootstrap }, { interruptOnSigint, redactedCommand }] = await Promise.all([import('../apply/run.js'), import('./rerun.js')]);
      const interrupt = interruptOnSigint();
      const summary = await runBootstrap({
        input,
        outputDir: flags.outputDir,
        envFile: flags.envFile,
        set: flags.set,
        yes: Boolean(flags.yes),
        adopt: Boolean(flags.adopt),
        dryRun: Boolean(flags.dryRun),
        json: Boolean(flags.json),
        tag: flags.tag,
        newTag: Boolean(flags.newTag),
        concurrency,
        maxWaitMs,
        showSecrets: Boolean(flags.showSecrets),
        interactive: Boolean(process.stdin.isTTY),
        credentials: org.credentials,
        logger,
        debug: Boolean(flags.debug),
        signal: interrupt.signal,
        rerunCommand: redactedCommand(process.argv.slice(2)),
        streams: { stderr: process.stderr },
        env: { ...process.env },
      }).finally(() => interrupt.dispose());
      return summary;
    });
  });

  // destroy
  const destroy = new Command('destroy').description(
    'Delete everything an output file recorded, in reverse dependency order (asks first unless --yes).',
  );
  addInputFlags(destroy, builtins);
  addOrgFlags(destroy);
  destroy
    .option('--output <file>', 'the output file whose objects to delete (instead of --<input>)')
    .option('--output-dir <dir>', 'folder of output files', 'output')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--cascade', 'also destroy outputs built on top of this one (e.g. mulesoft_policy before mulesoft)')
    .option('--dry-run', 'list what would be deleted, delete nothing')
    .option('--show-secrets', 'print secrets instead of masking them');
  addCommonOptions(destroy);
  withExamples(destroy, [
    'okta-bootstrap destroy --mulesoft_policy',
    'okta-bootstrap destroy --mulesoft --cascade --yes',
    'okta-bootstrap destroy --output output/20261122-1015_mulesoft.json',
  ]);
  destroy.action(async (flags: Record<string, unknown> & CommonOptions & { output?: string; outputDir: string; local?: boolean; envFile?: string; localState?: string }) => {
    const input = chosenInput(flags, builtins, false);
    if (!input && !flags.output) throw new UsageError('Name what to destroy: --<input> or --output FILE.');
    if (input && flags.output) throw new UsageError('Use --<input> or --output FILE, not both.');
    const logger = createLogger(flags);
    await withOrg(flags, logger.info, async (org) => {
      const { runDestroy } = await import('../apply/destroy.js');
      return runDestroy({
        input,
        outputFile: flags.output,
        outputDir: flags.outputDir,
        yes: Boolean(flags.yes),
        cascade: Boolean(flags.cascade),
        interactive: Boolean(process.stdin.isTTY),
        credentials: org.credentials,
        logger,
        debug: Boolean(flags.debug),
        showSecrets: Boolean(flags.showSecrets),
        dryRun: Boolean(flags.dryRun),
        streams: { stderr: process.stderr },
      });
    });
  });
  program.addCommand(destroy);

  // register-client: Anypoint's DCR step, for a tenant with no Anypoint in front of it
  const register = new Command('register-client').description(
    'Register the app\'s client through dynamic client registration, the same call Anypoint makes; prints AUTHN_CLIENT_ID and AUTHN_CLIENT_SECRET.',
  );
  addOrgFlags(register);
  register
    .requiredOption('--name <name>', 'client_name of the new client')
    .requiredOption('--redirect-uri <uri>', 'redirect URI (repeatable)', collect, [])
    .option('--grant-type <type>', 'grant type (repeatable)', collect, [])
    .option('--registration-url <url>', 'CLIENT_REGISTRATION_URL (default: from output/mulesoft.json, else {org}/oauth2/v1/clients)')
    .option('--output-dir <dir>', 'folder of output files', 'output')
    .option('--write-env [file]', 'merge AUTHN_CLIENT_ID and AUTHN_CLIENT_SECRET into a .env file (default .env)')
    .option('--new', 'register a new client even if AUTHN_CLIENT_ID already names a live client with this name')
    .option('--show-secrets', 'print the client secret instead of masking it');
  addCommonOptions(register);
  withExamples(register, [
    'okta-bootstrap register-client --name "Solar System Auth" --redirect-uri http://localhost:8080 --write-env',
    'okta-bootstrap register-client --local --name "Solar System Auth" --redirect-uri http://localhost:8080 --grant-type authorization_code --grant-type implicit',
  ]);
  register.action(async (flags: CommonOptions & { local?: boolean; envFile?: string; localState?: string; name: string; redirectUri: string[]; grantType: string[]; registrationUrl?: string; outputDir: string; writeEnv?: string | boolean; new?: boolean; showSecrets?: boolean }) => {
    const logger = createLogger(flags);
    await withOrg(flags, logger.info, async (org) => {
      const { registerClient } = await import('./register-client.js');
      await registerClient({ ...flags, credentials: org.credentials, logger });
    });
  });
  program.addCommand(register);

  // schema: the JSON Schema of input files, emitted from the zod schema
  const schema = new Command('schema')
    .description('Print the JSON Schema of input files (the zod schema is the source of truth); --write updates inputs/schema.json.')
    .option('--write [file]', 'write it to a file (default: inputs/schema.json of this package)');
  addCommonOptions(schema);
  withExamples(schema, ['okta-bootstrap schema > my-schema.json', 'okta-bootstrap schema --write']);
  schema.action(async (flags: CommonOptions & { write?: string | boolean }) => {
    const { emitJsonSchema, writeJsonSchema } = await import('../input/schema.js');
    if (flags.write) {
      const file = typeof flags.write === 'string' ? flags.write : new URL('../../inputs/schema.json', import.meta.url).pathname;
      await writeJsonSchema(file);
      createLogger(flags).info(`Wrote ${file}`);
    } else {
      process.stdout.write(JSON.stringify(emitJsonSchema(), null, 2) + '\n');
    }
  });
  program.addCommand(schema);

  return program;
}

/** Runs `fn` with the org resolved (env/.env or --local), closing an in-process local tenant afterwards. */
async function withOrg<T>(
  flags: { local?: boolean; envFile?: string; localState?: string },
  log: (m: string) => void,
  fn: (org: ResolvedOrg) => Promise<T>,
): Promise<T> {
  const org = await resolveOrg(
    { local: flags.local, envFile: flags.envFile, localState: flags.localState, localPort: DEFAULT_LOCAL_PORT },
    log,
  );
  secretsToHide.push(org.credentials.token);
  try {
    return await fn(org);
  } finally {
    await org.close();
  }
}

/** The API token of this run: the error renderer scrubs it from anything it prints. */
const secretsToHide: string[] = [];

async function registerSubcommands(program: Command): Promise<void> {
  const [{ registerLocalCommand }, { registerVerifyCommand }, { registerGatewayCommand }, { registerAppCommand }] = await Promise.all([
    import('./local.js'),
    import('./verify.js'),
    import('./gateway.js'),
    import('./app.js'),
  ]);
  registerLocalCommand(program);
  registerVerifyCommand(program);
  registerGatewayCommand(program);
  registerAppCommand(program);
}

export async function main(argv: string[]): Promise<void> {
  await runMain(
    argv,
    async () => {
      const builtins = await listBuiltinInputs();
      const program = buildProgram(builtins);
      await registerSubcommands(program);
      await program.parseAsync(argv);
      return process.exitCode === undefined ? 0 : Number(process.exitCode);
    },
    () => [...secretsToHide, process.env.OKTA_API_TOKEN ?? '', process.env.OKTA_CLIENT_TOKEN ?? ''],
  );
}
