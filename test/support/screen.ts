/**
 * Screen-level terminal tests: the CLI runs under a pseudo-terminal (the python3 relay of pty.ts) and every byte
 * it writes goes into a real terminal emulator (@xterm/headless, the engine of VS Code's terminal). Tests assert on
 * what a person sees: the rendered rows, the scrollback, the cursor's row, at the moment the CLI waits for input
 * (nothing written for `quietMs`), not on the bytes that were written.
 *
 *   const t = spawnScreen(process.execPath, ['bin/okta-bootstrap.js', '--mulesoft'], { cols: 80, rows: 24 });
 *   const s = await t.waitForInput(/\? TAG: /);      // the question is on screen and the CLI is idle
 *   expectQuestion(s, /\? TAG: \(C\) continue/);       // whole question visible, no status line
 *   t.type('p\r9191\r');                               // typing ahead, in one write
 *   t.press('ctrl-c');  // raw mode: the prompt reads it; cooked mode: the tty sends SIGINT, as for a person
 *   const { code } = await t.exited;
 *   expectNoStaleLines(t.screen());
 */
import { spawn } from 'node:child_process';
import { expect } from 'vitest';
import xterm from '@xterm/headless';
import { KEYS, PTY_RELAY, ptyAvailable, type KeyName } from './pty.js';

export { ptyAvailable, KEYS, type KeyName };

/** The live status line of an apply ("created 0 · adopted 0 · …"). */
export const STATUS_LINE = /created \d+ · adopted \d+ · updated \d+/;

export interface Screen {
  cols: number;
  rows: number;
  /** The rows in view, trailing spaces trimmed. */
  visible: string[];
  /** Scrollback and view, rows as drawn. */
  all: string[];
  /** Scrollback and view with wrapped rows joined into the lines the program wrote. */
  lines: string[];
  /** The logical lines in view (a line wrapped over two rows is one). */
  visibleLines: string[];
  /** The row the cursor is on (the open question's row while a prompt waits). */
  cursorRow: string;
  /** `all` as one text, for messages. */
  text: string;
}

export interface ScreenOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  cols?: number;
  rows?: number;
  /** Default time limit of the waits, ms. */
  timeoutMs?: number;
}

export interface ScreenSession {
  cols: number;
  rows: number;
  /** Sends raw text in one write (typing ahead, a paste). */
  type(text: string): void;
  press(key: KeyName): void;
  /**
   * Waits until the CLI has written something since the last key sent, `pattern` matches a logical line in view
   * (or the view as a text, for a RegExp with \n), and nothing has been written for `quietMs` (the CLI is
   * waiting), then returns the screen.
   */
  waitForInput(pattern: string | RegExp, opts?: { timeoutMs?: number; quietMs?: number }): Promise<Screen>;
  /** Waits until the screen (scrollback included) matches, without waiting for quiet. */
  waitFor(pattern: string | RegExp, opts?: { timeoutMs?: number }): Promise<Screen>;
  /** Output written since the last key sent, escape sequences removed (for "this appeared after my answer"). */
  sinceInput(): string;
  screen(): Screen;
  /** Everything written, escape sequences removed; for error messages. */
  transcript(): string;
  exited: Promise<{ code: number; screen: Screen }>;
  kill(): void;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[\]P^_][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

function snapshot(term: xterm.Terminal): Screen {
  const buf = term.buffer.active;
  const all: string[] = [];
  const wrapped: boolean[] = [];
  for (let i = 0; i < buf.length; i++) {
    const line = buf.getLine(i);
    all.push(line ? line.translateToString(true) : '');
    wrapped.push(line?.isWrapped ?? false);
  }
  const join = (from: number, to: number): string[] => {
    const out: string[] = [];
    for (let i = from; i < to; i++) {
      const row = all[i] ?? '';
      if (wrapped[i] && out.length > 0) out[out.length - 1] += row;
      else out.push(row);
    }
    return out;
  };
  let last = all.length;
  while (last > 0 && (all[last - 1] ?? '') === '' && last - 1 > buf.baseY + buf.cursorY) last--;
  const visible = all.slice(buf.viewportY, buf.viewportY + term.rows);
  return {
    cols: term.cols,
    rows: term.rows,
    visible,
    all: all.slice(0, last),
    lines: join(0, last),
    visibleLines: join(buf.viewportY, Math.min(last, buf.viewportY + term.rows)),
    cursorRow: all[buf.baseY + buf.cursorY] ?? '',
    text: all.slice(0, last).join('\n'),
  };
}

/** A string in one line; a RegExp in one line, or across lines (a prompt library breaks long questions itself). */
function matches(lines: string[], pattern: string | RegExp): boolean {
  if (typeof pattern === 'string') return lines.some((l) => l.includes(pattern));
  return lines.some((l) => pattern.test(l)) || pattern.test(lines.join('\n'));
}

export function spawnScreen(command: string, args: string[], opts: ScreenOptions = {}): ScreenSession {
  if (!ptyAvailable()) throw new Error('python3 with its pty module is needed for terminal tests');
  const cols = opts.cols ?? 160;
  const rows = opts.rows ?? 50;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, TERM: 'xterm-256color', COLUMNS: String(cols), LINES: String(rows), ...opts.env })) {
    if (v !== undefined) env[k] = v;
  }
  const child = spawn('python3', ['-c', PTY_RELAY, String(cols), String(rows), command, ...args], { cwd: opts.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const term = new xterm.Terminal({ cols, rows, scrollback: 5000, allowProposedApi: true });
  let raw = '';
  let lastInputAt = 0;
  let lastOutput = Date.now();
  let inputTime = 0;
  let pendingWrites = 0;
  let done = false;
  let relayErr = '';
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of [...waiters]) w();
  };
  child.stdout.on('data', (chunk: Buffer) => {
    raw += chunk.toString('utf8');
    lastOutput = Date.now();
    pendingWrites++;
    term.write(chunk, () => {
      pendingWrites--;
      wake();
    });
  });
  child.stderr.on('data', (c: Buffer) => (relayErr += c.toString('utf8')));
  const send = (data: string) => {
    lastInputAt = raw.length;
    inputTime = Date.now();
    child.stdin.write(data);
  };
  const flushed = () => new Promise<void>((r) => term.write('', r));
  const exited = new Promise<{ code: number; screen: Screen }>((resolve) => {
    child.on('close', (code) => {
      void flushed().then(() => {
        done = true;
        wake();
        resolve({ code: code ?? 1, screen: snapshot(term) });
      });
    });
  });
  const timeoutOf = (o?: { timeoutMs?: number }) => o?.timeoutMs ?? opts.timeoutMs ?? 20_000;
  const wait = (what: string, ready: () => boolean, timeoutMs: number, poll = false): Promise<Screen> =>
    new Promise((resolve, reject) => {
      const check = () => {
        if (pendingWrites === 0 && ready()) {
          finish();
          resolve(snapshot(term));
        } else if (done) {
          finish();
          reject(new Error(`the command ended before ${what}.\n--- screen ---\n${snapshot(term).text}\n--- relay ---\n${relayErr}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}.\n--- screen ---\n${snapshot(term).text}`));
      }, timeoutMs);
      const ticker = poll ? setInterval(check, 25) : undefined;
      const finish = () => {
        clearTimeout(timer);
        if (ticker) clearInterval(ticker);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  return {
    cols,
    rows,
    type: (text) => send(text),
    press: (key) => send(KEYS[key]),
    waitForInput(pattern, o = {}) {
      const quietMs = o.quietMs ?? 250;
      // the CLI must have answered the last key (written something since) before its screen counts
      return wait(
        `${String(pattern)} (then quiet)`,
        () => lastOutput > inputTime && Date.now() - lastOutput >= quietMs && matches(snapshot(term).visibleLines, pattern),
        timeoutOf(o),
        true,
      );
    },
    waitFor(pattern, o = {}) {
      return wait(String(pattern), () => matches(snapshot(term).lines, pattern), timeoutOf(o));
    },
    sinceInput: () => raw.slice(lastInputAt).replace(ANSI, ''),
    screen: () => snapshot(term),
    transcript: () => raw.replace(ANSI, ''),
    exited,
    kill: () => void child.kill('SIGKILL'),
  };
}

/** The whole question is in view, on the cursor's row (or ending there), and no status line is drawn. */
export function expectQuestion(s: Screen, question: RegExp | string): void {
  const where = `\n--- screen (${s.cols}×${s.rows}) ---\n${s.visible.join('\n')}`;
  expect(matches(s.visibleLines, question), `question ${String(question)} not fully in view${where}`).toBe(true);
  expect(s.visible.some((l) => STATUS_LINE.test(l)), `a status line is drawn while a question is open${where}`).toBe(false);
  expect(s.cursorRow.trim(), `the cursor is on an empty row${where}`).not.toBe('');
}

/** After a run: no status line left anywhere in the scrollback, and no row repeats a question's half. */
export function expectNoStaleLines(s: Screen): void {
  const stale = s.all.filter((l) => STATUS_LINE.test(l));
  expect(stale, `status lines left in the scrollback:\n${s.text}`).toEqual([]);
}
