/**
 * THE ONLY MODULE THAT PROMPTS. @inquirer/prompts is imported lazily inside the functions, so commands that
 * never ask (get-settings, --help, --yes runs) never load it.
 *
 * For each value the engine calls review(): the key, its hint/comment and the candidate value (or the request
 * that will be sent) are shown, secrets masked unless --show-secrets, and the person answers
 *   (C) continue with this value   [default]
 *   (p) provide a new value        [strings only]
 *   (a) auto-accept and generate all remaining values
 *   (q) quit
 * --yes is "a" from the start. When stdin is not a terminal and --yes is not given, every call throws a
 * UsageError saying to pass --yes or --set (it never waits for input that cannot come). Ctrl-C inside a prompt
 * is a QuitError. Prompts and reviews go to stderr by default, so stdout stays the command's result.
 */
import { InterruptedError, UsageError } from '../core/errors.js';
import { isSecretName, maskDeep, maskSecret } from '../core/mask.js';
import { colorEnabled, createStyle } from '../core/style.js';
import type { InputEntry } from '../input/schema.js';

export type ReviewAnswer = { action: 'continue'; value: unknown } | { action: 'auto' } | { action: 'quit' };

export interface ReviewRequest {
  key: string;
  entry: InputEntry;
  /** The resolved value (for objects: the body). */
  candidate: unknown;
  /** For objects: what will be sent, e.g. {method, path, body}; shown instead of the candidate. */
  display?: unknown;
  /** 1-based position among the values reviewed, and their number. */
  index: number;
  total: number;
}

export interface Prompter {
  /** True after "a", or from the start with --yes. */
  readonly auto: boolean;
  /** Continue (default) / provide (strings only) / auto / quit. With auto on, answers continue with the candidate. */
  review(req: ReviewRequest): Promise<ReviewAnswer>;
  /** Asks for a value nobody provided (masked input for secret-like keys). */
  askValue(key: string, opts: { hint?: string; secret: boolean }): Promise<string>;
  /** Yes/no (adopt, update, destroy). With auto on, answers yes. */
  confirm(message: string, opts?: { default?: boolean }): Promise<boolean>;
}

export interface PrompterOptions {
  yes: boolean;
  /** stdin is a terminal (process.stdin.isTTY). */
  interactive: boolean;
  showSecrets: boolean;
  /** Where reviews and prompts are written; default process.stderr. */
  out?: NodeJS.WriteStream;
}

export const NOT_A_TERMINAL = 'stdin is not a terminal: pass --yes (accept defaults) or --set KEY=VALUE';

/** Inquirer's Ctrl-C (ExitPromptError) and aborts become InterruptedError (exit 130); everything else passes through. */
async function guarded<T>(p: () => Promise<T>): Promise<T> {
  try {
    return await p();
  } catch (e) {
    const name = (e as Error | undefined)?.name;
    if (name === 'ExitPromptError' || name === 'AbortPromptError' || name === 'CancelPromptError') {
      throw new InterruptedError('Stopped at your request (Ctrl-C).');
    }
    throw e;
  }
}

/** The text shown for a value under review. */
export function describeForReview(req: ReviewRequest, showSecrets: boolean): string[] {
  const lines: string[] = [];
  const note = req.entry.hint ?? req.entry.comment;
  if (note) lines.push(`  ${note}`);
  if (req.display !== undefined) {
    const d = req.display as { method?: unknown; path?: unknown; body?: unknown };
    if (typeof d === 'object' && d !== null && typeof d.method === 'string' && typeof d.path === 'string') {
      lines.push(`  ${d.method} ${d.path}`);
      if (d.body !== undefined) lines.push(...indent(JSON.stringify(maskDeep(d.body, showSecrets), null, 2)));
    } else {
      lines.push(...indent(JSON.stringify(maskDeep(req.display, showSecrets), null, 2)));
    }
  } else if (typeof req.candidate === 'string') {
    const secret = !showSecrets && isSecretName(req.key);
    lines.push(`  value: ${secret ? maskSecret(req.candidate) : req.candidate}`);
  } else {
    lines.push(...indent(JSON.stringify(maskDeep(req.candidate, showSecrets, req.key), null, 2) ?? 'undefined'));
  }
  return lines;
}

function indent(text: string): string[] {
  return text.split('\n').map((l) => `  ${l}`);
}

export function createPrompter(opts: PrompterOptions): Prompter {
  const out = opts.out ?? process.stderr;
  const style = createStyle(colorEnabled(out));
  const context = { output: out };
  let auto = opts.yes;
  const write = (lines: string[]) => out.write(lines.join('\n') + '\n');

  return {
    get auto() {
      return auto;
    },

    async review(req) {
      if (auto) return { action: 'continue', value: req.candidate };
      if (!opts.interactive) throw new UsageError(NOT_A_TERMINAL, { key: req.key });
      const cls = req.entry.objectClass ? ` ${style.dim(`(${req.entry.objectClass})`)}` : '';
      write(['', `${style.dim(`[${req.index}/${req.total}]`)} ${style.bold(req.key)}${cls}`, ...describeForReview(req, opts.showSecrets)]);
      const canProvide = typeof req.candidate === 'string' && req.entry.objType === 'string';
      const { expand, input, password } = await import('@inquirer/prompts');
      const choices = [
        { key: 'c' as const, name: 'continue with this value', value: 'continue' as const },
        ...(canProvide ? [{ key: 'p' as const, name: 'provide a new value', value: 'provide' as const }] : []),
        { key: 'a' as const, name: 'auto-accept and generate all remaining values', value: 'auto' as const },
        { key: 'q' as const, name: 'quit', value: 'quit' as const },
      ];
      const what = canProvide ? '(C) continue, (p) provide a new value, (a) auto-accept the rest, (q) quit' : '(C) continue, (a) auto-accept the rest, (q) quit';
      const choice = await guarded(() => expand({ message: `${req.key}: ${what}`, choices, default: 'c' }, context));
      if (choice === 'quit') return { action: 'quit' };
      if (choice === 'auto') {
        auto = true;
        return { action: 'auto' };
      }
      if (choice === 'continue') return { action: 'continue', value: req.candidate };
      const secret = isSecretName(req.key);
      const value = await guarded(() =>
        secret
          ? password({ message: `New value for ${req.key}:`, mask: '*' }, context)
          : input({ message: `New value for ${req.key}:`, default: String(req.candidate) }, context),
      );
      return { action: 'continue', value };
    },

    async askValue(key, o) {
      if (!opts.interactive) {
        throw new UsageError(`${key} has no value, and stdin is not a terminal to ask for it: pass --set ${key}=VALUE.`, {
          key,
          suggestion: `Pass --set ${key}=VALUE, or set ${key} in the environment or .env (or run in a terminal to be asked).`,
        });
      }
      // Even with --yes: a value nobody gave cannot be generated, and a terminal can answer.
      write(['', `${style.bold(key)} has no value${o.hint ? `: ${o.hint}` : '.'}`]);
      const { input, password } = await import('@inquirer/prompts');
      const message = `Value for ${key}:`;
      const required = (v: string) => (v.trim() === '' ? `${key} needs a value (Ctrl-C to stop).` : true);
      return guarded(() => (o.secret ? password({ message, mask: '*', validate: required }, context) : input({ message, required: true }, context)));
    },

    async confirm(message, o = {}) {
      if (auto) return true;
      if (!opts.interactive) throw new UsageError(NOT_A_TERMINAL);
      const { confirm } = await import('@inquirer/prompts');
      return guarded(() => confirm({ message, default: o.default ?? false }, context));
    },
  };
}
