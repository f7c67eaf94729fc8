/**
 * Progress of a run. One line per object ("+ created SILVER_GROUP (okta:user_group) 00g…"), and on a TTY a live
 * status line under them with the created / adopted / waiting / failed counts and the current rate-limit wait
 * (from the governor's 'wait' events). Not on a TTY (CI), plain lines only, plus one line per rate-limit wait.
 * The status line runs only while objects are applied (begin() … stop()): never while a question is open, since
 * its redraw (\r, erase line) would wipe the question a person is reading.
 */
import type { Logger } from '../core/log.js';
import type { FieldDiff } from '../okta/handlers/types.js';
import { maskDeep } from '../core/mask.js';

export type ObjectOutcome = 'created' | 'unchanged' | 'updated' | 'adopted' | 'conflict' | 'failed' | 'deleted' | 'gone';

const MARK: Record<ObjectOutcome, string> = {
  created: '+',
  unchanged: '=',
  updated: '~',
  adopted: '&',
  conflict: '!',
  failed: 'x',
  deleted: '-',
  gone: '-',
};

export interface Counts {
  created: number;
  updated: number;
  unchanged: number;
  adopted: number;
  conflict: number;
  failed: number;
  deleted: number;
  gone: number;
}

/** A stream the caller hands in (the CLI gives its stderr); the live status line is drawn only when isTTY. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface WaitInfo {
  bucket: string;
  ms: number;
  reason: string;
}

export class Progress {
  readonly counts: Counts = { created: 0, updated: 0, unchanged: 0, adopted: 0, conflict: 0, failed: 0, deleted: 0, gone: 0 };
  private inFlight = 0;
  private wait: (WaitInfo & { until: number }) | undefined;
  private statusShown = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly tty: boolean;
  private live = false;

  constructor(private readonly log: Logger, opts: { stream: OutputStream; showSecrets: boolean }) {
    this.stream = opts.stream;
    this.tty = Boolean(opts.stream.isTTY) && !log.level.quiet;
    this.showSecrets = opts.showSecrets;
  }

  /** The apply starts: the live status line is drawn (on a TTY) until stop(). */
  begin(): void {
    if (!this.tty || this.live) return;
    this.live = true;
    this.timer = setInterval(() => this.redraw(), 1000);
    this.timer.unref();
    this.redraw();
  }
  private readonly showSecrets: boolean;
  private readonly stream: OutputStream;

  started(): void {
    this.inFlight++;
    this.redraw();
  }
  finished(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.redraw();
  }

  object(outcome: ObjectOutcome, key: string, objectClass: string, detail = '', diffs: FieldDiff[] = []): void {
    this.counts[outcome]++;
    const s = this.log.errStyle;
    const colour = outcome === 'created' || outcome === 'deleted' ? s.green : outcome === 'updated' || outcome === 'adopted' ? s.cyan : outcome === 'failed' || outcome === 'conflict' ? s.red : s.dim;
    const lines = [colour(`${MARK[outcome]} ${outcome} ${key} (${objectClass})${detail ? ` ${detail}` : ''}`)];
    for (const d of diffs) lines.push(`    ${formatDiff(d, this.showSecrets)}`);
    this.print(lines.join('\n'));
  }

  line(msg: string): void {
    this.print(msg);
  }

  /** A governor 'wait' event: rate-limit waits are shown; short pacing is not worth a line in CI. */
  onWait(w: WaitInfo): void {
    if (w.reason === 'pacing' && w.ms < 2000) return;
    const until = Date.now() + w.ms;
    if (!this.tty) {
      // every wait for a spent bucket is said, however short (how long is chance: where in the window it was spent)
      if (w.reason === 'rate-limit' || w.ms >= 1000) {
        const s = w.ms < 1000 ? (w.ms / 1000).toFixed(1) : String(Math.ceil(w.ms / 1000));
        this.log.info(`rate limit on ${w.bucket}, resuming in ${s} s`);
      }
      return;
    }
    this.wait = { ...w, until };
    this.redraw();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.clearStatus();
    this.live = false;
  }

  private print(msg: string): void {
    this.clearStatus();
    this.log.info(msg);
    this.redraw();
  }

  private clearStatus(): void {
    if (this.statusShown) {
      this.stream.write('\r\x1b[K');
      this.statusShown = false;
    }
  }

  private redraw(): void {
    if (!this.live) return;
    const c = this.counts;
    let text = `created ${c.created} · adopted ${c.adopted} · updated ${c.updated} · unchanged ${c.unchanged} · in progress ${this.inFlight} · failed ${c.failed}`;
    if (this.wait && this.wait.until > Date.now()) {
      text += ` · rate limit on ${this.wait.bucket}, resuming in ${Math.ceil((this.wait.until - Date.now()) / 1000)} s`;
    }
    this.stream.write(`\r\x1b[K${this.log.errStyle.dim(text)}`);
    this.statusShown = true;
  }
}

export function formatValue(v: unknown): string {
  return v === undefined ? '(absent)' : JSON.stringify(v);
}

export function formatDiff(d: FieldDiff, showSecrets: boolean): string {
  const masked = maskDeep({ [d.path.split('.').pop() ?? d.path]: [d.before, d.after] }, showSecrets);
  const [before, after] = Object.values(masked)[0] as [unknown, unknown];
  return `${d.path}: ${formatValue(before)} → ${formatValue(after)}`;
}
