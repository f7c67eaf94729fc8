/**
 * The built-in inputs (inputs/*.json of this package), each becoming a --<name> flag.
 * Read cheaply (no zod, no SDK): --help lists them.
 */
import type { Command } from 'commander';
import type { BuiltinInput } from '../input/builtins.js';
import { UsageError } from '../core/errors.js';

export type { BuiltinInput };

/** Adds one --<name> flag per built-in input, and --input FILE. */
export function addInputFlags(cmd: Command, builtins: BuiltinInput[]): Command {
  for (const b of builtins) cmd.option(`--${b.name}`, b.description);
  return cmd.option('--input <file>', 'run any input file in the okta-bootstrapper format');
}

/** The input chosen by --<builtin> or --input FILE; at most one (exactly one when `required`). */
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
