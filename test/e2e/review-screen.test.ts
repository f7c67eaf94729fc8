/**
 * The review as a person sees it: the CLI under a pseudo-terminal, its output rendered by a terminal emulator
 * (test/support/screen.ts), asserted at the moment it waits for input, at 160 and at 80 columns. Typing ahead,
 * a paste, `h`, refused values, q and Ctrl-C at every stage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ROOT } from '../support/cli.js';
import { expectNoStaleLines, expectQuestion, ptyAvailable, spawnScreen, STATUS_LINE, type Screen, type ScreenSession } from '../support/screen.js';
import { startEnv, type Env } from './apply-support.js';

const BIN = join(ROOT, 'bin', 'okta-bootstrap.js');
/** A review question, whole: at 80 columns inquirer breaks it over two rows. */
const REVIEW = (key: string) => new RegExp(`(^|\\n)\\? ${key}: \\(C\\) continue[^?]*\\(q\\)\\s+quit`);

function run(e: Env, opts: { cols?: number; rows?: number; args?: string[] } = {}): ScreenSession {
  return spawnScreen(process.execPath, [BIN, '--mulesoft', ...(opts.args ?? []), '--output-dir', e.out, '--env-file', join(e.dir, '.env')], {
    cwd: e.dir,
    env: { ...e.env, NO_COLOR: '1' },
    cols: opts.cols ?? 160,
    rows: opts.rows ?? 50,
    timeoutMs: 30_000,
  });
}

/** After the CLI ended: the last line says what happened, and the cursor is on a fresh, empty line (the shell's). */
function expectEndsCleanly(s: Screen, last: RegExp): void {
  const text = s.lines.filter((l) => l.trim() !== '');
  expect(text.at(-1), s.text).toMatch(last);
  expect(s.cursorRow, s.text).toBe('');
  expectNoStaleLines(s);
}

describe.runIf(ptyAvailable())('the review on screen', () => {
  let e: Env;
  beforeAll(async () => {
    e = await startEnv();
  });
  afterAll(() => e?.close());

  for (const [cols, rows] of [
    [160, 50],
    [80, 24],
  ] as const) {
    it(`${cols}×${rows}: the first question stays whole with no status line; after "a" one plan, the apply, a clean end`, async () => {
      const f = await startEnv();
      try {
        const t = run(f, { cols, rows });
        // a full second of quiet: a status line redrawn every second would have wiped the question by then
        const first = await t.waitForInput(REVIEW('TAG'), { quietMs: 1200 });
        expectQuestion(first, REVIEW('TAG'));
        expect(first.visibleLines).toContain('[1/10] TAG');
        t.type('a\r');
        const { code, screen } = await t.exited;
        expect(code, screen.text).toBe(0);
        expect(screen.lines.filter((l) => l.startsWith('Plan for mulesoft on '))).toHaveLength(1);
        expect(screen.lines.some((l) => l.startsWith('? Apply these'))).toBe(false); // "a" accepted the rest
        expectEndsCleanly(screen, /^Done: 8 created, 0 updated/);
      } finally {
        await f.close();
      }
    }, 60_000);
  }

  it('typing ahead in one write: p⏎9191⏎ at PORT, then ⏎⏎⏎: nothing crashes, no question is skipped', async () => {
    const f = await startEnv();
    try {
      const t = run(f, { cols: 80, rows: 24 });
      await t.waitForInput(REVIEW('TAG'));
      t.type('\r\r'); // TAG and CLIENT_REGISTRATION_URL, before the second is even drawn
      await t.waitForInput(REVIEW('PORT'));
      t.type('p\r9191\r');
      const s = await t.waitForInput(REVIEW('REDIRECT_URI'));
      expectQuestion(s, REVIEW('REDIRECT_URI'));
      expect(s.visibleLines).toContain('? New value for PORT: 9191'.replace('?', '✔'));
      expect(s.visibleLines).toContain('  value: http://localhost:9191   (input default)');
      t.type('\r\r\r'); // REDIRECT_URI, SILVER_SCOPE_NAME, GOLD_SCOPE_NAME
      const next = await t.waitForInput(REVIEW('FAKE_USER_PASSWORD'));
      expectQuestion(next, REVIEW('FAKE_USER_PASSWORD'));
      for (const k of ['REDIRECT_URI', 'SILVER_SCOPE_NAME', 'GOLD_SCOPE_NAME']) expect(next.lines.some((l) => l.startsWith(`✔ ${k}: `)), k).toBe(true);
      expect(next.text).not.toMatch(/Cannot read properties/);
      // q: the typed PORT is kept for the next run
      t.type('q\r');
      const { code, screen } = await t.exited;
      expect(code, screen.text).toBe(1);
      expectEndsCleanly(screen, /run the same command again to finish: okta-bootstrap --mulesoft/);
      expect(screen.lines.join('')).toMatch(/nothing was created; the value you typed \(PORT\) kept for the next run/);

      const again = run(f, { cols: 80, rows: 24 });
      await again.waitForInput(REVIEW('TAG'));
      again.type('\r\r');
      const port = await again.waitForInput(REVIEW('PORT'));
      expect(port.visibleLines).toContain('  value: 9191   (typed at (p) in an earlier run)');
      again.press('ctrl-c');
      expect((await again.exited).code).toBe(130);
    } finally {
      await f.close();
    }
  }, 90_000);

  it('a paste of a long value, h, and a refused PORT', async () => {
    const t = run(e, { cols: 80, rows: 24 });
    await t.waitForInput(REVIEW('TAG'));
    t.type('h\r');
    const help = await t.waitForInput(/p\) provide a new value/);
    expect(help.visibleLines).toEqual(expect.arrayContaining(['  c) continue with this value', '  a) auto-accept and generate all remaining values', '  q) quit']));
    t.type('c\r');
    await t.waitForInput(REVIEW('CLIENT_REGISTRATION_URL'));
    t.type('\r');
    await t.waitForInput(REVIEW('PORT'));
    t.type('p\rabc\r');
    const refused = await t.waitForInput(/PORT must be a port number from 1 to 65535, not "abc"/);
    expectQuestion(refused, /^\? New value for PORT: abc/);
    t.type('\x7f\x7f\x7f9191\r');
    await t.waitForInput(REVIEW('REDIRECT_URI'));
    const long = `http://localhost:9191/${'callback/'.repeat(30)}end`;
    t.type(`p\r${long}\r`);
    const s = await t.waitForInput(REVIEW('SILVER_SCOPE_NAME'));
    expectQuestion(s, REVIEW('SILVER_SCOPE_NAME'));
    expect(s.all.join('')).toContain(long); // however the rows broke it
    t.type('q\r');
    expect((await t.exited).code).toBe(1);
  }, 60_000);

  it('Ctrl-C at a prompt, and twice: exit 130, one line saying what was kept and the command, the shell on a fresh line', async () => {
    for (const keys of ['\x03', '\x03\x03']) {
      const t = run(e);
      await t.waitForInput(REVIEW('TAG'));
      t.type(keys);
      const { code, screen } = await t.exited;
      expect(code, screen.text).toBe(130);
      expectEndsCleanly(screen, /^✖ Interrupted \(Ctrl-C\)\. nothing was created; run the same command again to finish: okta-bootstrap --mulesoft/);
      expect(screen.lines.filter((l) => /Interrupted/.test(l))).toHaveLength(1);
    }
  }, 60_000);

  it('Ctrl-C during the first reads: exit 130 before any question', async () => {
    const f = await startEnv({ latencyMs: 1500 });
    try {
      const t = run(f);
      // the first read (the credential check) is on its way
      while (f.tenant.requestLog.length === 0) await new Promise((r) => setTimeout(r, 50));
      t.press('ctrl-c');
      const { code, screen } = await t.exited;
      expect(code, screen.text).toBe(130);
      expect(screen.text).not.toMatch(/\? TAG/);
      expectEndsCleanly(screen, /Interrupted \(Ctrl-C\).*run the same command again to finish: okta-bootstrap --mulesoft/);
    } finally {
      await f.close();
    }
  }, 60_000);

  it('Ctrl-C mid-apply: the requests in flight finish and are recorded, exit 130, the status line gone', async () => {
    const f = await startEnv({ latencyMs: 300 });
    try {
      const t = run(f, { args: ['--concurrency', '1'] });
      await t.waitForInput(REVIEW('TAG'));
      t.type('a\r');
      await t.waitFor(/^\+ created /);
      t.press('ctrl-c');
      const { code, screen } = await t.exited;
      expect(code, screen.text).toBe(130);
      expect(screen.lines.some((l) => STATUS_LINE.test(l))).toBe(false);
      expectEndsCleanly(screen, /objects? recorded in .*mulesoft\.json; run the same command again to finish: okta-bootstrap --mulesoft/);
      const meta = (await f.output('mulesoft'))['$okta-bootstrap'];
      expect(meta.status).toBe('incomplete');
    } finally {
      await f.close();
    }
  }, 60_000);
});

describe('closed pipes', () => {
  it('stdout and stderr closed after the first lines (`… | head -3`): EPIPE is ignored, the run finishes, the output is complete', async () => {
    const e = await startEnv({ latencyMs: 20 });
    try {
      const { spawn } = await import('node:child_process');
      const child = spawn(process.execPath, [BIN, '--mulesoft', '--yes', '--output-dir', e.out, '--env-file', join(e.dir, '.env')], { cwd: e.dir, env: { ...process.env, ...e.env, NO_COLOR: '1' } });
      let seen = '';
      child.stderr.on('data', (c: Buffer) => {
        seen += c.toString();
        if (seen.includes('+ created')) {
          child.stderr.destroy();
          child.stdout.destroy();
        }
      });
      const code = await new Promise<number | null>((r) => child.on('close', r));
      expect(code).toBe(0);
      const meta = (await e.output('mulesoft'))['$okta-bootstrap'];
      expect(meta.status).toBe('complete');
      expect(Object.values(meta.objects).filter((o) => o.state === 'done')).toHaveLength(8);
    } finally {
      await e.close();
    }
  }, 60_000);
});
