/**
 * What every command shares: the common flags, a logger that honours --quiet/--verbose/--debug,
 * and runMain(), which sends every error to the one renderer and sets the exit code.
 * Keep this file light: get-settings and --help start from here, so no SDK, no inquirer.
 */
import { Command, CommanderError } from 'commander';
import { UsageError } from '../core/errors.js';
import { readFileSync } from 'node:fs';
import { colorEnabled, createStyle } from '../core/style.js';
export { createLogger, type Logger } from '../core/log.js';
import { exitCodeOf, renderError } from './render-error.js';

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
    .option('-q, --quiet', 'Print only results and errors')
    .option('-v, --verbose', 'Print more detail')
    .option('--debug', 'Print stack traces and HTTP exchanges (secrets masked)');
}

/** Appends an "Examples:" block to --help. */
export function withExamples(cmd: Command, examples: string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`);
}

/**
 * Makes commander throw instead of exiting, for `program` and every command under it (commands added with
 * addCommand inherit nothing, so call this once the tree is built): runMain then turns each usage error commander
 * finds (unknown option, missing required option, missing value) into exit 2. After the message, each command
 * names its own --help.
 */
export function configureProgram(program: Command): Command {
  program.exitOverride();
  program.configureOutput({
    writeErr: (s) => process.stderr.write(s),
    writeOut: (s) => process.stdout.write(s),
  });
  program.showHelpAfterError(`(run "${commandPath(program)} --help" for usage and examples)`);
  // One style for every help text: sentence case, and no "(default: …)" from commander (a default worth knowing
  // is written in words in the option's own description).
  program.helpOption('-h, --help', 'Show this help');
  if (program.commands.length > 0) program.helpCommand('help [command]', 'Show the help of a command');
  program.configureHelp({ optionDescription: (option) => option.description });
  for (const sub of program.commands) configureProgram(sub);
  return program;
}

/** "okta-bootstrap local serve" for a nested command. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Optimal string alignment distance: edits (insert, delete, replace, swap two neighbours) from a to b. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    const row = d[i];
    if (!row) continue;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The candidates closest to `word` (at most 40% of its letters wrong, about what commander allows for its own). */
export function similar(word: string, candidates: string[]): string[] {
  // A word that starts a candidate (`register` for register-client) counts as one edit away.
  const distance = (c: string) => Math.min(editDistance(word, c), word.length >= 3 && c.startsWith(word) ? 1 : Number.POSITIVE_INFINITY);
  const scored = candidates.map((c) => ({ c, d: distance(c) })).filter((x) => x.d <= Math.max(1, Math.floor(word.length * 0.4)));
  const best = Math.min(...scored.map((x) => x.d));
  return scored.filter((x) => x.d === best).map((x) => x.c);
}

/**
 * A word that is no command of `cmd` (e.g. `okta-bootstrap destory`): a UsageError (exit 2) that suggests the
 * closest command, or the closest flag when the word is a flag without its dashes (`get-settings mulesoft`).
 */
export function unknownCommandError(cmd: Command, word: string): UsageError {
  const commands = [...cmd.commands.map((c) => c.name()), 'help'];
  const flags = cmd.options.flatMap((o) => (o.long && !o.hidden ? [o.long.slice(2)] : []));
  const nearCommands = similar(word, commands);
  const nearFlags = similar(word.replace(/^-+/, ''), flags).map((f) => `--${f}`);
  const near = [...nearCommands, ...nearFlags];
  const path = commandPath(cmd);
  const hasCommands = cmd.commands.length > 0;
  const what = hasCommands ? `"${word}" is not a command of ${path}` : `${path} takes no argument, not "${word}"`;
  return new UsageError(`${what}.`, {
    suggestion:
      (near.length > 0 ? `Did you mean ${near.join(' or ')}? ` : '') +
      (hasCommands ? `Commands: ${commands.join(', ')}. ` : '') +
      `Run "${path} --help" for usage and examples.`,
  });
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
      // help and version are "errors" to commander when exitOverride is on; help shown because a command is
      // missing (`okta-bootstrap local`) comes with exitCode 1 and is a usage error like the others.
      if (e.exitCode === 0 && (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help')) {
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
