/**
 * What every command shares: the common flags, a logger that honours --quiet/--verbose/--debug,
 * and runMain(), which sends every error to the one renderer and sets the exit code.
 * Keep this file light: get-settings and --help start from here, so no SDK, no inquirer.
 */
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { colorEnabled, createStyle } from '../core/style.js';
export { createLogger, type Logger } from '../core/log.js';
import { exitCodeOf, renderError } from './render-error.js';

export interface CommonOptions {
  quiet?: boolean;
  verbose?: boolean;
  debug?: boolean;
}

let cachedVersion: string | undefined;
export function packageVersion(): string {
  if (cachedVersion) return cachedVersion;
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  cachedVersion = pkg.version;
  return cachedVersion;
}

/** Adds --quiet, --verbose and --debug to a command (and --version on the root). */
export function addCommonOptions(cmd: Command): Command {
  return cmd
    .option('-q, --quiet', 'print only results and errors')
    .option('-v, --verbose', 'print more detail')
    .option('--debug', 'print stack traces and HTTP exchanges (secrets masked)');
}

/** Appends an "Examples:" block to --help. */
export function withExamples(cmd: Command, examples: string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`);
}

/** Makes commander throw instead of exiting, for every command in the tree, so runMain controls exit codes. */
export function configureProgram(program: Command): Command {
  program.exitOverride();
  program.configureOutput({
    writeErr: (s) => process.stderr.write(s),
    writeOut: (s) => process.stdout.write(s),
  });
  program.showHelpAfterError('(add --help for usage and examples)');
  return program;
}

function argvHas(argv: string[], flag: string): boolean {
  return argv.includes(flag);
}

/**
 * Runs a CLI entry point: parse, run, render any error in one place, set process.exitCode.
 * `secrets` are strings that must never reach the terminal (the API token).
 */
export async function runMain(argv: string[], run: () => Promise<number | void>, secrets: () => string[] = () => []): Promise<void> {
  try {
    const code = await run();
    process.exitCode = typeof code === 'number' ? code : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version are "errors" to commander when exitOverride is on
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') {
        process.exitCode = 0;
        return;
      }
      process.exitCode = 2;
      return; // commander already printed the message
    }
    const debug = argvHas(argv, '--debug');
    process.stderr.write(
      renderError(e, { debug, style: createStyle(colorEnabled(process.stderr)), secrets: secrets() }) + '\n',
    );
    process.exitCode = exitCodeOf(e);
  }
}

/** Resolves at the first SIGINT or SIGTERM (long-running commands: local serve, gateway), then stops listening. */
export function untilStopSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
