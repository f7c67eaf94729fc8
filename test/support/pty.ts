/**
 * Runs a command under a pseudo-terminal, for interactive tests: send keys, wait for text, read the screen.
 *
 * Why python3's pty module: it is on every Linux and macOS CI image, needs no native Node build (node-pty
 * does) and, unlike tmux, no extra package. A 30-line relay (PTY_RELAY below) forks the command on a new pty
 * with the requested size and copies bytes both ways; here a small terminal model turns the output into the
 * screen a person would see (cursor moves, line erases and colours handled; enough for inquirer's prompts).
 *
 *   const t = spawnPty(process.execPath, ['bin/okta-bootstrap.js', '--mulesoft', '--local']);
 *   await t.waitFor(/TAG: \(C\) continue/);
 *   t.press('enter');                          // C
 *   await t.waitFor(/PORT: /);  t.type('p'); t.press('enter');
 *   await t.waitFor(/New value for PORT/);  t.type('9090'); t.press('enter');
 *   const { code } = await t.exited;
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

const PTY_RELAY = String.raw`
import os, pty, sys, select, struct, fcntl, termios
cols, rows = int(sys.argv[1]), int(sys.argv[2])
argv = sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
    os.execvp(argv[0], argv)
stdin_open = True
out = sys.stdout.buffer
while True:
    fds = [fd] + ([0] if stdin_open else [])
    r, _, _ = select.select(fds, [], [])
    if fd in r:
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b''
        if not data:
            break
        out.write(data)
        out.flush()
    if 0 in r:
        data = os.read(0, 65536)
        if data:
            os.write(fd, data)
        else:
            stdin_open = False
_, status = os.waitpid(pid, 0)
code = os.waitstatus_to_exitcode(status)
sys.exit(128 - code if code < 0 else code)
`;

export const KEYS = {
  enter: '\r',
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  backspace: '\x7f',
  tab: '\t',
  escape: '\x1b',
  'ctrl-c': '\x03',
  'ctrl-d': '\x04',
} as const;
export type KeyName = keyof typeof KEYS;

export interface PtyOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  cols?: number;
  rows?: number;
  /** Default time limit of waitFor, ms. */
  timeoutMs?: number;
}

export interface PtySession {
  /** Sends raw text (no Enter added). */
  type(text: string): void;
  press(key: KeyName): void;
  /**
   * Waits until the screen matches; resolves with the screen. The screen keeps its scrollback, so text from an
   * earlier prompt still matches: `since` (a mark()) or `afterInput: true` (since the last type/press) look only at
   * the output printed after that point (transcript, escape sequences removed).
   */
  waitFor(pattern: string | RegExp, opts?: { timeoutMs?: number; since?: number; afterInput?: boolean }): Promise<string>;
  /** What the terminal shows now (scrollback included), lines joined with \n, trailing spaces trimmed. */
  screen(): string;
  /** Everything printed so far, with escape sequences removed (a transcript, including overwritten lines). */
  transcript(): string;
  /** A mark in the transcript, for waitFor({since}). */
  mark(): number;
  /** The exit code (128+n for signal n) once the command ends. */
  exited: Promise<{ code: number }>;
  kill(): void;
}

/** True when python3 (and its pty module) can run here. */
export function ptyAvailable(): boolean {
  const r = spawnSync('python3', ['-c', 'import pty, termios, fcntl'], { stdio: 'ignore' });
  return r.status === 0;
}

export function spawnPty(command: string, args: string[], opts: PtyOptions = {}): PtySession {
  const cols = opts.cols ?? 120;
  const rows = opts.rows ?? 40;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, TERM: 'xterm-256color', COLUMNS: String(cols), LINES: String(rows), ...opts.env })) {
    if (v !== undefined) env[k] = v;
  }
  const child: ChildProcess = spawn('python3', ['-c', PTY_RELAY, String(cols), String(rows), command, ...args], {
    cwd: opts.cwd,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const term = new Terminal(cols, rows);
  let clean = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    clean += stripAnsi(chunk);
    term.write(chunk);
    for (const w of [...waiters]) w();
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (c: string) => (stderr += c));
  let done = false;
  let lastInput = 0;
  const send = (data: string) => {
    lastInput = clean.length;
    child.stdin!.write(data);
  };
  const exited = new Promise<{ code: number }>((resolve) => {
    child.on('close', (code) => {
      done = true;
      for (const w of [...waiters]) w();
      resolve({ code: code ?? 1 });
    });
  });
  const session: PtySession = {
    type: (text) => send(text),
    press: (key) => send(KEYS[key]),
    screen: () => term.text(),
    transcript: () => clean,
    mark: () => clean.length,
    exited,
    kill: () => void child.kill('SIGKILL'),
    waitFor(pattern, o = {}) {
      const timeoutMs = o.timeoutMs ?? opts.timeoutMs ?? 15_000;
      const matches = () => {
        const since = o.afterInput ? lastInput : o.since;
        const text = since !== undefined ? clean.slice(since) : term.text();
        return typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text);
      };
      return new Promise((resolve, reject) => {
        const check = () => {
          if (matches()) {
            finish();
            resolve(term.text());
          } else if (done) {
            finish();
            reject(new Error(`the command ended before ${String(pattern)} appeared.\n--- screen ---\n${term.text()}\n--- stderr of the relay ---\n${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${String(pattern)}.\n--- screen ---\n${term.text()}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
  return session;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[\]P^_][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

export function stripAnsi(s: string): string {
  return s.replace(ANSI, '').replace(/\r(?!\n)/g, '\n').replace(/\r/g, '');
}

/**
 * A minimal terminal: printable text, \r \n \b \t, and the CSI sequences prompt libraries use (cursor up/down/
 * forward/back/column/position, erase in line/display); colours and modes are ignored. Lines scroll into
 * scrollback; cursor positions count from the top of the visible rows.
 */
class Terminal {
  private lines: string[][] = [[]];
  private row = 0;
  private col = 0;
  private pending = '';

  constructor(
    private readonly cols: number,
    private readonly rows: number,
  ) {}

  text(): string {
    return this.lines.map((l) => l.join('').trimEnd()).join('\n').replace(/\n+$/, '');
  }

  private top(): number {
    return Math.max(0, this.lines.length - this.rows);
  }

  private line(): string[] {
    while (this.lines.length <= this.row) this.lines.push([]);
    return this.lines[this.row]!;
  }

  write(chunk: string): void {
    const s = this.pending + chunk;
    this.pending = '';
    let i = 0;
    while (i < s.length) {
      const c = s[i]!;
      if (c === '\x1b') {
        // eslint-disable-next-line no-control-regex -- ESC and BEL are the point: this parses terminal escape sequences
        const m = /^\x1b\[([0-9;?]*)([ -/]*)([@-~])/.exec(s.slice(i));
        // eslint-disable-next-line no-control-regex -- ESC and BEL are the point: this parses terminal escape sequences
        const other = /^\x1b(?:[\]P^_][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/.exec(s.slice(i));
        if (m) {
          this.csi(m[1]!, m[3]!);
          i += m[0].length;
        } else if (other) {
          i += other[0].length;
        } else {
          this.pending = s.slice(i); // an escape sequence split across chunks
          return;
        }
        continue;
      }
      if (c === '\r') this.col = 0;
      else if (c === '\n') {
        this.row++;
        this.line();
      } else if (c === '\b') this.col = Math.max(0, this.col - 1);
      else if (c === '\t') this.col = Math.min(this.cols - 1, (Math.floor(this.col / 8) + 1) * 8);
      else if (c >= ' ') {
        if (this.col >= this.cols) {
          this.col = 0;
          this.row++;
        }
        const l = this.line();
        while (l.length < this.col) l.push(' ');
        l[this.col++] = c;
      }
      i++;
    }
  }

  private csi(params: string, final: string): void {
    const nums = params.replace('?', '').split(';').map((p) => (p === '' ? NaN : Number(p)));
    const n = Number.isNaN(nums[0]!) ? 1 : nums[0]!;
    switch (final) {
      case 'A':
        this.row = Math.max(this.top(), this.row - n);
        break;
      case 'B':
        this.row += n;
        this.line();
        break;
      case 'C':
        this.col = Math.min(this.cols - 1, this.col + n);
        break;
      case 'D':
        this.col = Math.max(0, this.col - n);
        break;
      case 'G':
        this.col = Math.max(0, n - 1);
        break;
      case 'H':
      case 'f':
        this.row = this.top() + (Number.isNaN(nums[0]!) ? 0 : nums[0]! - 1);
        this.col = Number.isNaN(nums[1] ?? NaN) ? 0 : nums[1]! - 1;
        this.line();
        break;
      case 'K': {
        const l = this.line();
        const mode = Number.isNaN(nums[0]!) ? 0 : nums[0]!;
        if (mode === 0) l.length = Math.min(l.length, this.col);
        else if (mode === 1) for (let k = 0; k <= this.col && k < l.length; k++) l[k] = ' ';
        else l.length = 0;
        break;
      }
      case 'J': {
        const mode = Number.isNaN(nums[0]!) ? 0 : nums[0]!;
        if (mode === 0) {
          this.line().length = Math.min(this.line().length, this.col);
          this.lines.length = this.row + 1;
        } else if (mode === 2 || mode === 3) {
          for (let r = this.top(); r < this.lines.length; r++) this.lines[r] = [];
        }
        break;
      }
      default:
        break; // colours (m), cursor show/hide (h/l) and the rest change nothing on the text
    }
  }
}
