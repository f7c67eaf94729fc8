/**
 * Issue 3's interactive flow through a real pseudo-terminal: (C)ontinue on a few values, (p)rovide a new PORT
 * (it shows up in REDIRECT_URI and in the client created), then (a)uto-accept the rest.
 * The (q)uit-halfway run is in apply-interrupt.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ROOT } from '../support/cli.js';
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
});
