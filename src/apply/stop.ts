/**
 * How a run stops early: a quit (q, Ctrl-C, N at the confirmation) before or during the apply. One line says what
 * is kept (objects recorded, values typed at (p)) and the exact command that finishes.
 */
import { InterruptedError, QuitError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { Prompter } from '../resolve/prompt.js';
import type { OutputJournal } from './journal.js';
import type { OutputStream, Progress } from './progress.js';

export interface StopContext {
  prompter: Prompter;
  progress: Progress;
  journal: OutputJournal;
  /** Keys whose value was typed at (p): kept in the output's replay. */
  typed: ReadonlySet<string>;
  dryRun: boolean;
  /** The command that continues this run's set, already redacted (asked after the last write). */
  rerunCommand: () => string;
}

export async function stopRun(ctx: StopContext, e: QuitError, applying: boolean): Promise<never> {
  ctx.prompter.close();
  ctx.progress.stop();
  const { journal } = ctx;
  const made = Object.values(journal.objects).filter((o) => o.state === 'done').length;
  const typed = ctx.typed.size;
  // nothing to keep: nothing was created and nothing typed; the file stays as the last run left it
  if (!ctx.dryRun && (applying || typed > 0)) {
    journal.meta.status = 'incomplete';
    await journal.flush().catch(() => undefined);
  }
  const kept = [
    ...(applying || made > 0 ? [`${made} object${made === 1 ? '' : 's'} recorded in ${journal.latestPath}`] : ['nothing was created']),
    ...(typed > 0 ? [`the value${typed === 1 ? '' : 's'} you typed (${[...ctx.typed].join(', ')}) kept for the next run`] : []),
  ];
  throw new QuitError(`${e.message} ${kept.join('; ')}; run the same command again to finish: ${ctx.rerunCommand()}`, {}, e.exitCode);
}

/**
 * Ctrl-C during a run: `requested` is set (the scheduler starts nothing more; the requests in flight finish and are
 * recorded). While objects are applied it says so; before that the run stops at its next step with one line, which
 * starts on a fresh line (the terminal echoed ^C where the cursor was).
 */
export class Interrupt {
  requested: QuitError | undefined;
  applying = false;
  private readonly onAbort = (): void => {
    this.requested = new InterruptedError('Interrupted (Ctrl-C).');
    if (!this.applying && this.stderr.isTTY) this.stderr.write('\n');
    if (this.applying) {
      this.progress.stop();
      this.log.warn('\nStopping after the requests in flight (Ctrl-C again to stop at once; the next run takes over what was started).');
    }
  };

  constructor(
    private readonly signal: AbortSignal | undefined,
    private readonly stderr: OutputStream,
    private readonly progress: Progress,
    private readonly log: Logger,
  ) {
    if (signal?.aborted) this.onAbort();
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  dispose(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
  }
}
