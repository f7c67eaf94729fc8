/**
 * Adopting and updating interactively: both are part of the one plan and of its one confirmation ("Apply these N
 * changes? (y/N)"); nothing is asked twice. Asserted on the rendered screen (test/support/screen.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from '../support/cli.js';
import { sdkClient } from '../support/org.js';
import { expectNoStaleLines, expectQuestion, ptyAvailable, spawnScreen, type Screen, type ScreenSession } from '../support/screen.js';
import { expectOk, LEGACY, startEnv, type Env } from './apply-support.js';
import { obj, parseObject } from '../support/json.js';

/** Enter at every review; at the one confirmation, returns its screen. */
async function toConfirmation(t: ScreenSession): Promise<Screen> {
  for (;;) {
    const s = await t.waitForInput(/(^|\n)\? [A-Z][A-Z0-9_]*: \(C\) continue[^?]*\(q\)\s+quit|^\? Apply these \d+ changes?\?/);
    if (s.visibleLines.some((l) => l.startsWith('? Apply these'))) return s;
    t.press('enter');
  }
}

describe.runIf(ptyAvailable())('interactive confirmation', () => {
  let e: Env;
  let file: string;
  const run = () =>
    spawnScreen(process.execPath, [join(ROOT, 'bin', 'okta-bootstrap.js'), '--input', file, '--tag', 'ask1', '--output-dir', e.out, '--env-file', join(e.dir, '.env')], {
      cwd: e.dir,
      env: { ...e.env, NO_COLOR: '1' },
      timeoutMs: 40_000,
    });
  beforeAll(async () => {
    e = await startEnv();
    file = join(e.dir, 'mulesoft.json');
    await writeFile(file, await readFile(join(LEGACY, 'mulesoft.json'), 'utf8'));
  });
  afterAll(() => e?.close());

  it('a foreign object is a conflict in the plan that the confirmation adopts; y adopts it', async () => {
    const g = await sdkClient(e.tenant.orgUrl, e.tenant.apiToken).groupApi.createGroup({
      group: { profile: { name: 'solar_system_users_moons ask1', description: 'Solar system users with read access to /moons' } },
    });
    const t = run();
    const s = await toConfirmation(t);
    expectQuestion(s, /^\? Apply these 8 changes\? \(y\/N\)/);
    expect(s.lines).toContain(`! conflict  GOLD_GROUP (okta:user_group) "solar_system_users_moons ask1" (${g.id})`);
    expect(s.lines.some((l) => l.includes('→ applying adopts it'))).toBe(true);
    t.type('y\r');
    const { code, screen } = await t.exited;
    expect(code, screen.text).toBe(0);
    expect(screen.lines.filter((l) => /Adopt|\(y\/N\)|Apply these/.test(l))).toHaveLength(1);
    expectNoStaleLines(screen);
    const meta = (await e.output('mulesoft'))['$okta-bootstrap'];
    expect(meta.objects.GOLD_GROUP).toMatchObject({ state: 'done', id: g.id, adopted: true });
    expect(meta.status).toBe('complete');
  }, 90_000);

  it('an update in place is in the plan with old → new once; N applies nothing, y sends the PUT', async () => {
    const input = parseObject(await readFile(file, 'utf8'));
    obj(obj(input.SILVER_SCOPE).default).description = 'silver, reworded';
    await writeFile(file, JSON.stringify(input));
    const mark = e.tenant.requestLog.length;
    const t = run();
    const s = await toConfirmation(t);
    expectQuestion(s, /^\? Apply these 1 change\? \(y\/N\)/);
    expect(s.lines.filter((l) => l.includes('description: "silver level access" → "silver, reworded"'))).toHaveLength(1);
    expect(s.lines.some((l) => /^~ update {4}SILVER_SCOPE \(okta:scope\) "http:\/\/myapp.com\/scp\/silver" \(\w+\)$/.test(l))).toBe(true);
    t.type('n\r');
    const no = await t.exited;
    expect(no.code, no.screen.text).toBe(1);
    expect(no.screen.lines.join('')).toMatch(/Nothing applied: you answered no\./);
    expect(e.writesSince(mark)).toEqual([]);
    const yes = run();
    await toConfirmation(yes);
    yes.type('y\r');
    expect((await yes.exited).code).toBe(0);
    expect(e.writesSince(mark)).toEqual([expect.stringMatching(/^PUT \/api\/v1\/authorizationServers\/\w+\/scopes\/\w+ 200$/)]);
  }, 90_000);
});

describe('non-interactive update', () => {
  it('is applied with --yes (covered in apply-rerun); without --yes and without a terminal nothing is asked or written', async () => {
    const e = await startEnv();
    try {
      expectOk(await e.cli(['--input', join(LEGACY, 'mulesoft.json'), '--yes']));
      const mark = e.tenant.requestLog.length;
      const r = await e.cli(['--input', join(LEGACY, 'mulesoft.json')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('pass --yes');
      expect(e.writesSince(mark)).toEqual([]);
    } finally {
      await e.close();
    }
  });
});
