/**
 * The built-in inputs (inputs/*.json of this package), each becoming a --<name> flag.
 * Read cheaply (no zod, no SDK): --help lists them.
 */
import { Option, type Command } from 'commander';
import type { BuiltinInput } from '../input/builtins.js';
import { UsageError } from '../core/errors.js';

export type { BuiltinInput };

/** "auth server, …" → "Auth server, …": every help line starts the same way. */
export function sentenceCase(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** What the input flags mean for one command, shown under their own heading in --help. */
export interface InputFlagTexts {
  /** The heading, e.g. "Input (choose one):". */
  group: string;
  builtin: (b: BuiltinInput) => string;
  input: string;
}

/** Adds one --<name> flag per built-in input, and --input FILE, under their own heading (each listed once). */
export function addInputFlags(cmd: Command, builtins: BuiltinInput[], texts: InputFlagTexts): Command {
  for (const b of builtins) cmd.addOption(new Option(`--${b.name}`, texts.builtin(b)).helpGroup(texts.group));
  return cmd.addOption(new Option('--input <file>', texts.input).helpGroup(texts.group));
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
