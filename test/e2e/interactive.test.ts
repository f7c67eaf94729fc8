/**
 * The interactive review through a real pseudo-terminal, asserted on the rendered screen (test/support/screen.ts):
 * (C)ontinue, (p)rovide a new PORT (it reaches REDIRECT_URI and the client), then one plan and one confirmation.
 * Typing ahead, pastes, `h`, refused values and Ctrl-C are in review-screen.test.ts; (q) in apply-interrupt.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ROOT } from '../support/cli.js';
import { expectNoStaleLines, expectQuestion, ptyAvailable, spawnScreen } from '../support/screen.js';
import { startEnv, type Env } from './apply-support.js';

const BIN = join(ROOT, 'bin', 'okta-bootstrap.js');

describe.runIf(ptyAvailable())('the interactive review', () => {
  let e: Env;
  beforeAll(async () => {
    e = await startEnv();
  });
  afterAll(() => e?.close());

  it('C, C, p on PORT, C for the rest, the plan, y: the new port reaches REDIRECT_URI and the client', async () => {
    const t = spawnScreen(process.execPath, [BIN, '--mulesoft', '--output-dir', e.out, '--env-file', join(e.dir, '.env')], {
      cwd: e.dir,
      env: { ...e.env, NO_COLOR: '1' },
      timeoutMs: 30_000,
    });
    const asked: string[] = [];
    for (;;) {
      const s = await t.waitForInput(/^\? ([A-Z][A-Z0-9_]*): \(C\) continue.*\(q\) quit|^\? Apply these \d+ changes\?/);
      const line = s.visibleLines.filter((l) => /^\? /.test(l)).pop() ?? '';
      if (line.startsWith('? Apply')) {
        expectQuestion(s, /^\? Apply these 8 changes\? \(y\/N\)/);
        expect(s.lines.join('\n')).toMatch(/^\+ create {4}INTROSPECT_CLIENT \(okta:client\) "mulesoft introspect client /m);
        expect(s.lines.join('\n')).toContain('"http://localhost:9191"');
        t.type('y\r');
        break;
      }
      const key = /^\? ([A-Z0-9_]+):/.exec(line)?.[1] ?? '';
      expectQuestion(s, new RegExp(`^\\? ${key}: \\(C\\) continue.*\\(q\\) quit`));
      asked.push(key);
      if (key === 'PORT') {
        t.type('p\r');
        expectQuestion(await t.waitForInput(/^\? New value for PORT:/), /^\? New value for PORT: \(8080\)/);
        t.type('9191\r');
      } else if (key === 'REDIRECT_URI') {
        expect(s.visibleLines).toContain('  value: http://localhost:9191   (input default)');
        t.press('enter');
      } else {
        t.press('enter');
      }
    }
    const { code, screen } = await t.exited;
    expect(code, screen.text).toBe(0);
    // only the values a person can choose were asked; those read from objects were shown as known after apply
    expect(asked).toEqual(['TAG', 'CLIENT_REGISTRATION_URL', 'PORT', 'REDIRECT_URI', 'SILVER_SCOPE_NAME', 'GOLD_SCOPE_NAME', 'FAKE_USER_PASSWORD', 'FAKE_USER_DOMAIN', 'SILVER_PASSWORD', 'GOLD_PASSWORD']);
    expect(screen.lines).toContain('  OKTA_AZ_SERVER_ID = (known after apply)   (read from OKTA_AZ_SERVER)');
    expect(screen.lines.filter((l) => /^\? Apply these|^✔ Apply these/.test(l))).toHaveLength(1);
    expect(screen.lines.some((l) => /^Done: 8 created/.test(l))).toBe(true);
    expectNoStaleLines(screen);

    const out = await e.output('mulesoft');
    expect(out.PORT).toBe('9191');
    expect(out.REDIRECT_URI).toBe('http://localhost:9191');
    const snap = await e.snapshot();
    expect(snap.apps.find((a) => a.id === out.INTROSPECT_CLIENT_ID)?.redirectUris).toEqual(['http://localhost:9191']);
    expect(snap.users).toHaveLength(2);
  }, 90_000);

  it('p with a value the plan would refuse: refused at the prompt with the reason, asked again, nothing sent', async () => {
    const f = await startEnv();
    try {
      const t = spawnScreen(process.execPath, [BIN, '--mulesoft', '--output-dir', f.out, '--env-file', join(f.dir, '.env')], {
        cwd: f.dir, env: { ...f.env, NO_COLOR: '1' }, cols: 80, rows: 24, timeoutMs: 30_000,
      });
      for (;;) {
        const s = await t.waitForInput(/^\? ([A-Z][A-Z0-9_]*): \(C\) continue/);
        if (s.visibleLines.some((l) => l.startsWith('? REDIRECT_URI:'))) break;
        t.press('enter');
      }
      const mark = f.tenant.requestLog.length;
      t.type('p\r');
      await t.waitForInput(/^\? New value for REDIRECT_URI:/);
      t.type('not a url\r');
      const refused = await t.waitForInput(/must be an absolute URL/);
      expectQuestion(refused, /REDIRECT_URI must be an absolute URL starting with http:\/\/ or https:\/\//);
      expect(refused.cursorRow).toMatch(/New value for REDIRECT_URI/);
      t.type('\x7f'.repeat(20) + '9191\r');
      const again = await t.waitForInput(/not "9191"/);
      expect(again.cursorRow).toMatch(/New value for REDIRECT_URI: 9191/);
      expect(f.writesSince(mark)).toEqual([]);
      t.press('ctrl-c');
      const { code, screen } = await t.exited;
      expect(code, screen.text).toBe(130);
      expect(f.writesSince(mark)).toEqual([]);
    } finally {
      await f.close();
    }
  }, 90_000);
});
