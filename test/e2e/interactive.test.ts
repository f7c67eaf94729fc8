/**
 * Issue 3's interactive flow through a real pseudo-terminal: (C)ontinue on a few values, (p)rovide a new PORT
 * (it shows up in REDIRECT_URI and in the client created), then (a)uto-accept the rest.
 * The (q)uit-halfway run is in apply-interrupt.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ROOT, runCli } from '../support/cli.js';
import { ptyAvailable, spawnPty } from '../support/pty.js';
import { startEnv, type Env } from './apply-support.js';

describe('the interactive review', () => {
  let e: Env;
  beforeAll(async () => {
    e = await startEnv();
  });
  afterAll(() => e?.close());

  it.runIf(ptyAvailable())('C, C, then p on PORT, then a: the new port reaches REDIRECT_URI and the client', async () => {
    const t = spawnPty(process.execPath, ['--', join(ROOT, 'bin', 'okta-bootstrap.js'), '--mulesoft', '--output-dir', e.out, '--env-file', join(e.dir, '.env')], {
      cwd: e.dir,
      env: { ...e.env, NO_COLOR: '1' },
      timeoutMs: 30_000,
    });
    const reviewed: string[] = [];
    // Continue (Enter = the default C) until PORT comes up, at least two values in
    const prompt = /\? ([A-Z][A-Z0-9_]*): \(C\) continue/;
    for (let i = 0; i < 20; i++) {
      const since = t.mark();
      await t.waitFor(prompt, { since });
      const key = prompt.exec(t.transcript().slice(since))![1]!;
      if (key === 'PORT') break;
      reviewed.push(key);
      t.press('enter');
    }
    expect(reviewed.length).toBeGreaterThanOrEqual(2);
    t.type('p');
    t.press('enter');
    await t.waitFor(/new value|PORT.*:/i, { afterInput: true });
    t.type('9191');
    t.press('enter');
    // the next review: auto-accept everything left
    await t.waitFor(/\? REDIRECT_URI: \(C\) continue/, { afterInput: true });
    expect(t.transcript()).toMatch(/value: http:\/\/localhost:9191/);
    t.type('a');
    t.press('enter');
    const { code } = await t.exited;
    expect(code, t.transcript()).toBe(0);
    // on a TTY the concurrent part shows the live status view (counts redrawn in place)
    expect(t.transcript()).toMatch(/created \d+ · adopted \d+ · updated \d+ · unchanged \d+ · in progress \d+ · failed \d+/);

    const out = await e.output('mulesoft');
    expect(out.PORT).toBe('9191');
    expect(out.REDIRECT_URI).toBe('http://localhost:9191');
    const snap = await e.snapshot();
    const introspect = snap.apps.find((a) => a.id === out.INTROSPECT_CLIENT_ID)!;
    expect(introspect.redirectUris).toEqual(['http://localhost:9191']);
    expect(snap.users).toHaveLength(2);
  }, 90_000);

  it.runIf(ptyAvailable())('p with a value Okta would refuse: that object fails before its request, the run says how to finish, a re-run does', async () => {
    const f = await startEnv();
    try {
      const args = ['--', join(ROOT, 'bin', 'okta-bootstrap.js'), '--mulesoft', '--output-dir', f.out, '--env-file', join(f.dir, '.env')];
      const t = spawnPty(process.execPath, args, { cwd: f.dir, env: { ...f.env, NO_COLOR: '1' }, timeoutMs: 30_000 });
      const prompt = /\? ([A-Z][A-Z0-9_]*): \(C\) continue/;
      for (let i = 0; i < 30; i++) {
        const since = t.mark();
        await t.waitFor(prompt, { since });
        if (prompt.exec(t.transcript().slice(since))![1] === 'REDIRECT_URI') break;
        t.press('enter');
      }
      t.type('p');
      t.press('enter');
      await t.waitFor(/new value|REDIRECT_URI.*:/i, { afterInput: true });
      const mark = f.tenant.requestLog.length;
      t.type('9191');
      t.press('enter');
      await t.waitFor(/\? [A-Z][A-Z0-9_]*: \(C\) continue/, { afterInput: true });
      t.type('a');
      t.press('enter');
      const { code } = await t.exited;
      expect(code, t.transcript()).toBe(1);
      expect(t.transcript()).toMatch(/INTROSPECT_CLIENT\.redirect_uris\.0: "9191" is not an absolute URI/);
      expect(t.transcript()).toMatch(/Nothing was sent for INTROSPECT_CLIENT; run again to finish/);
      expect(f.writesSince(mark).filter((w) => w.startsWith('POST /oauth2/v1/clients'))).toEqual([]);

      const again = await runCli('okta-bootstrap', ['--mulesoft', '--yes', '--output-dir', f.out, '--env-file', join(f.dir, '.env')], { env: f.env, cwd: f.dir });
      expect(again.code, again.stderr).toBe(0);
      const out = await f.output('mulesoft');
      expect(out.REDIRECT_URI).toBe('http://localhost:8080');
      const snap = await f.snapshot();
      expect(snap.apps.find((a) => a.id === out.INTROSPECT_CLIENT_ID)?.redirectUris).toEqual(['http://localhost:8080']);
      expect(snap.users).toHaveLength(2);
      expect(snap.groups.filter((g) => g.type !== 'BUILT_IN')).toHaveLength(2);
    } finally {
      await f.close();
    }
  }, 90_000);
});
