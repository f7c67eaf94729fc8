/**
 * okta-bootstrap: assembles the program from one file per command (apply.ts: the root run command; destroy.ts,
 * ls.ts, register-client.ts, schema.ts, verify.ts, gateway.ts, local.ts) and sends errors to the one renderer (runMain).
 * Heavy modules (the Okta SDK, inquirer, fastify) are imported lazily inside actions, so `okta-bootstrap --help`
 * stays fast. Every usage error exits 2: commander's (unknown option, missing required option), an unknown command
 * (with the closest one suggested) and each command's own checks; `okta-bootstrap help [command]` prints help.
 */
import { Command } from 'commander';
import { configureRunCommand } from './apply.js';
import type { BuiltinInput } from './builtins.js';
import { builtinInputs } from '../input/builtins.js';
import { addCommonOptions, configureProgram, packageVersion, runMain, unknownCommandError, withExamples } from './common.js';
import { orgSecrets } from './credentials.js';
import { destroyCommand } from './destroy.js';
import { lsCommand } from './ls.js';
import { registerClientCommand } from './register-client.js';
import { schemaCommand } from './schema.js';

export function buildProgram(builtins: BuiltinInput[]): Command {
  const program = new Command('okta-bootstrap');
  program
    .description(
      'Set up an Okta org for API Access Management behind an API gateway, from a declarative input file.\n' +
        'Each value is shown and you choose: (C)ontinue, (p)rovide another, (a)uto-accept the rest, or (q)uit.',
    )
    .enablePositionalOptions()
    // `okta-bootstrap help` and `okta-bootstrap help destroy` print help (exit 0); the root has an action, so
    // commander would not add this command by itself.
    .helpCommand(true)
    // Words that are no command reach the root's action, which names the closest command (exit 2).
    .allowExcessArguments(true)
    .usage('[--<input> | --input FILE] [options]  |  <command> [options]');
  configureRunCommand(program, builtins);
  // after the input flags, so that their heading comes first in --help
  program.version(packageVersion(), '--version', 'Print the version');
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
  program.hook('preAction', (_root, action) => {
    if (action === program && program.args.length > 0) throw unknownCommandError(program, program.args[0] ?? '');
  });
  program.addCommand(destroyCommand(builtins));
  program.addCommand(lsCommand());
  program.addCommand(registerClientCommand());
  program.addCommand(schemaCommand());
  return program;
}

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

/** The whole program, every command registered (the tests list commands from it, so a new one is checked too). */
export async function fullProgram(): Promise<Command> {
  const program = buildProgram(builtinInputs());
  await registerSubcommands(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await runMain(
    argv,
    async () => {
      const program = await fullProgram();
      configureProgram(program);
      await program.parseAsync(argv);
      return process.exitCode === undefined ? 0 : Number(process.exitCode);
    },
    orgSecrets,
  );
}
