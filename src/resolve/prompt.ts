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
 * is an InterruptedError (exit 130). Prompts and reviews go to stderr by default, so stdout stays the command's result.
 *
 * Typing ahead. Each @inquirer prompt opens its own readline on the input and closes it when answered: keys that
 * arrive in the same write as the answer (a paste, `p⏎9191⏎`, a fast typist) are either lost or, for
 * @inquirer/expand 4.0.23 (in @inquirer/prompts 7.9.0), fed to the answered prompt, which then crashes on
 * `selectedChoice.name`. So the prompter owns the terminal's input for as long as it asks (InputGate below):
 * stdin in raw mode, bytes held in one queue, and each prompt gets them through its own stream one line (up to
 * Enter) at a time; the next line is given only while that prompt is still open, otherwise it waits for the next
 * prompt. Keys typed between prompts go to the next one; keys left when the prompter closes are reported as
 * ignored. Ctrl-C typed while no prompt is open raises SIGINT, as the terminal would. We keep inquirer (its
 * rendering, wrapping and validation are well kept) and only wrap its input.
 */
import { PassThrough } from 'node:stream';
import { InterruptedError, UsageError } from '../core/errors.js';
import { isSecretName, maskDeep, maskSecret } from '../core/mask.js';
import { colorEnabled, createStyle } from '../core/style.js';
import { objectClassOf, type InputEntry } from '../input/schema.js';

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
  /** Where the candidate comes from ("input default", "generated", "--set", "environment", ".env", a data source). */
  source?: string;
  /** Checks a value typed at (p): true, or the reason it is refused (the prompt then asks again). */
  validate?: (value: string) => true | string;
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
  /** Lines shown between questions (not with --yes or after "a"). */
  note(lines: string[]): void;
  /** Gives the terminal back (raw mode off); says how many keys typed ahead were not used. Safe to call twice. */
  close(): void;
}

export interface PrompterOptions {
  yes: boolean;
  /** stdin is a terminal (process.stdin.isTTY). */
  interactive: boolean;
  showSecrets: boolean;
  /** Where reviews and prompts are written; default process.stderr. */
  out?: NodeJS.WriteStream;
  /** The terminal's input; default process.stdin. */
  input?: NodeJS.ReadStream;
}

export const NOT_A_TERMINAL = 'stdin is not a terminal: pass --yes (accept defaults) or --set KEY=VALUE';

/** Inquirer's Ctrl-C (ExitPromptError) and aborts become InterruptedError (exit 130); everything else passes through. */
async function guarded<T>(p: () => Promise<T>): Promise<T> {
  try {
    return await p();
  } catch (e) {
    const name = (e as Error | undefined)?.name;
    if (name === 'ExitPromptError' || name === 'AbortPromptError' || name === 'CancelPromptError') {
      throw new InterruptedError('Interrupted (Ctrl-C).');
    }
    throw e;
  }
}

/** Where one line of typed input ends: Enter (CR or LF) or Ctrl-C. */
// eslint-disable-next-line no-control-regex
const LINE_END = /[\r\n\x03]/;

/**
 * The terminal's input while the prompter asks: raw mode, one queue, one line at a time to the open prompt
 * (see the header). Nothing here parses keys: inquirer's readline does, on the stream it is given.
 */
class InputGate {
  private held = '';
  private feed: PassThrough | undefined;
  private pumping = false;
  private started = false;
  private readonly onData = (chunk: Buffer | string) => {
    this.held += chunk.toString();
    if (!this.feed && this.held.includes('\x03')) {
      // Ctrl-C while no prompt is open: what the terminal does in cooked mode
      this.held = '';
      process.kill(process.pid, 'SIGINT');
      return;
    }
    this.pump();
  };

  constructor(private readonly input: NodeJS.ReadStream) {}

  /** A stream for one prompt: held keys first. */
  open(): PassThrough {
    if (!this.started) {
      this.started = true;
      if (this.input.isTTY) this.input.setRawMode(true);
      this.input.on('data', this.onData);
      this.input.resume();
    }
    const feed = new PassThrough();
    this.feed = feed;
    this.input.ref();
    this.pump();
    return feed;
  }

  /** The prompt answered: what is left waits for the next one (the input no longer keeps the process alive). */
  done(feed: PassThrough): void {
    if (this.feed === feed) this.feed = undefined;
    feed.end();
    if (!this.feed) this.input.unref();
  }

  /** Raw mode off; returns how many characters typed ahead were not used. */
  close(): number {
    if (!this.started) return 0;
    this.started = false;
    this.input.off('data', this.onData);
    if (this.input.isTTY) this.input.setRawMode(false);
    this.input.pause();
    const left = this.held.length;
    this.held = '';
    return left;
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    const step = () => {
      const feed = this.feed;
      if (!feed || this.held === '') {
        this.pumping = false;
        return;
      }
      const end = this.held.search(LINE_END);
      const n = end < 0 ? this.held.length : end + 1;
      const line = this.held.slice(0, n);
      this.held = this.held.slice(n);
      feed.write(line);
      // after an Enter, give the prompt two turns of the event loop to answer and close (inquirer resolves on
      // setImmediate), so that the next line goes to the next prompt, not to this one
      if (end < 0) this.pumping = false;
      else setImmediate(() => setImmediate(step));
    };
    step();
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
    lines.push(`  value: ${secret ? maskSecret(req.candidate) : req.candidate}${req.source ? `   (${req.source})` : ''}`);
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
  const gate = new InputGate(opts.input ?? process.stdin);
  let auto = opts.yes;
  const write = (lines: string[]) => out.write(lines.join('\n') + '\n');
  /** One inquirer prompt on the gate's stream; Ctrl-C becomes InterruptedError. */
  const ask = async <T>(run: (context: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream }) => Promise<T>): Promise<T> => {
    const input = gate.open();
    try {
      return await guarded(() => run({ input, output: out }));
    } finally {
      gate.done(input);
    }
  };

  return {
    get auto() {
      return auto;
    },

    async review(req) {
      if (auto) return { action: 'continue', value: req.candidate };
      if (!opts.interactive) throw new UsageError(NOT_A_TERMINAL, { key: req.key });
      const objectClass = objectClassOf(req.entry);
      const cls = objectClass ? ` ${style.dim(`(${objectClass})`)}` : '';
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
      const choice = await ask((context) => expand({ message: `${req.key}: ${what}`, choices, default: 'c' }, context));
      if (choice === 'quit') return { action: 'quit' };
      if (choice === 'auto') {
        auto = true;
        return { action: 'auto' };
      }
      if (choice === 'continue') return { action: 'continue', value: req.candidate };
      const secret = isSecretName(req.key);
      const validate = (v: string) => (v.trim() === '' ? `${req.key} needs a value (Ctrl-C to stop).` : (req.validate?.(v) ?? true));
      const value = await ask((context) =>
        secret
          ? password({ message: `New value for ${req.key}:`, mask: '*', validate }, context)
          : input({ message: `New value for ${req.key}:`, default: String(req.candidate), validate }, context),
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
      // Asked only by a run that can ask (a terminal, without --yes); a run that cannot reports every value nobody
      // gave together, before its first write (src/apply/preflight.ts).
      write(['', `${style.bold(key)} has no value${o.hint ? `: ${o.hint}` : '.'}`]);
      const { input, password } = await import('@inquirer/prompts');
      const message = `Value for ${key}:`;
      const required = (v: string) => (v.trim() === '' ? `${key} needs a value (Ctrl-C to stop).` : true);
      return ask((context) => (o.secret ? password({ message, mask: '*', validate: required }, context) : input({ message, required: true }, context)));
    },

    async confirm(message, o = {}) {
      if (auto) return true;
      if (!opts.interactive) throw new UsageError(NOT_A_TERMINAL);
      const { confirm } = await import('@inquirer/prompts');
      return ask((context) => confirm({ message, default: o.default ?? false }, context));
    },

    note(lines) {
      if (!auto && opts.interactive) write(lines);
    },

    close() {
      const left = gate.close();
      if (left > 0) write([style.dim(`(${left} key${left === 1 ? '' : 's'} typed ahead after the last question were ignored)`)]);
    },
  };
}
