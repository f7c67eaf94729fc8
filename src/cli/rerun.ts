/**
 * What the CLI hands the engine about its own process: the command to suggest for a re-run, with secret `--set`
 * values replaced by ******** (the suggestion is printed, and may be logged by CI), and a Ctrl-C signal.
 */
import { isSecretName, MASK } from '../core/mask.js';

/** Redacts the value of one `KEY=VALUE` when KEY looks secret (PASSWORD, SECRET, TOKEN, ...). */
function redactAssignment(kv: string): string {
  const eq = kv.indexOf('=');
  if (eq <= 0) return kv;
  return isSecretName(kv.slice(0, eq)) ? `${kv.slice(0, eq)}=${MASK}` : kv;
}

/** Quotes an argument for a POSIX shell when it needs it, so the suggestion can be pasted as it is. */
function shellWord(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * `okta-bootstrap …` for the arguments after the script (`process.argv.slice(2)`), the values of secret `--set`
 * keys shown as ********, in both forms: `--set KEY=VALUE` and `--set=KEY=VALUE`.
 */
export function redactedCommand(argv: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--set' && i + 1 < argv.length) {
      out.push(arg, redactAssignment(argv[i + 1] ?? ''));
      i++;
    } else if (arg.startsWith('--set=')) {
      out.push(`--set=${redactAssignment(arg.slice('--set='.length))}`);
    } else {
      out.push(arg);
    }
  }
  return ['okta-bootstrap', ...out.map(shellWord)].join(' ');
}

/**
 * The arguments without the flags that choose a set (--new-tag, --tag X, --tag=X): a re-run continues the set
 * the run recorded, and --new-tag repeated would start yet another one (the engine adds --tag when needed).
 */
export function withoutSetFlags(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (arg === '--new-tag' || arg.startsWith('--tag=')) continue;
    if (arg === '--tag') {
      i++;
      continue;
    }
    out.push(arg);
  }
  return out;
}

export interface Interrupt {
  /** Aborted at the first Ctrl-C. */
  signal: AbortSignal;
  /** Removes the SIGINT handler. */
  dispose(): void;
}

/**
 * Ctrl-C handling for a command that can stop cleanly: the first SIGINT aborts `signal` (the engine then finishes
 * the requests in flight and records them), a second one exits at once with 130.
 */
export function interruptOnSigint(): Interrupt {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}
