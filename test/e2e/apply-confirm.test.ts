/**
 * Adopting and updating interactively: a person reviewing one by one is asked before a foreign object is
 * adopted, and before a recorded object that differs is updated in place (PUT).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from '../support/cli.js';
import { sdkClient } from '../support/org.js';
import { ptyAvailable, spawnPty, type PtySession } from '../support/pty.js';
import { expectOk, LEGACY, startEnv, type Env } from './apply-support.js';
import { obj, parseObject } from '../support/json.js';

/** Presses Enter at every review; answers `answer` to the first question matching `question`; then "a". */
async function drive(t: PtySession, question: RegExp, answer: string): Promise<void> {
  // a live prompt: a review ends with its key hints, a yes/no question with (y/N) or (Y/n)
  const live = /\((Cpaqh|Caqh)\)|\(y\/N\)|\(Y\/n\)/;
  let since = 0;
  for (let i = 0; i < 80; i++) {
    await t.waitFor(live, { since });
    const fresh = t.transcript().slice(since);
    since = t.mark();
    if (question.test(fresh)) {
      t.type(answer);
      t.press('enter');
      await t.waitFor(live, { since });
      since = t.mark();
      t.type('a');
      t.press('enter');
      return;
    }
    t.press('enter');
  }
  throw new Error('never asked');
}

describe.runIf(ptyAvailable())('interactive confirmation', () => {
  let e: Env;
  let file: string;
  const run = () =>
    spawnPty(process.execPath, [join(ROOT, 'bin', 'okta-bootstrap.js'), '--input', file, '--tag', 'ask1', '--output-dir', e.out, '--env-file', join(e.dir, '.env')], {
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

  it('asks before adopting a foreign object; yes adopts it', async () => {
    const g = await sdkClient(e.tenant.orgUrl, e.tenant.apiToken).groupApi.createGroup({
      group: { profile: { name: 'solar_system_users_moons ask1', description: 'Solar system users with read access to /moons' } },
    });
    const t = run();
    await drive(t, /Adopt the existing okta:user_group/, 'y');
    expect((await t.exited).code, t.transcript()).toBe(0);
    expect(t.transcript()).toContain(`! conflict GOLD_GROUP (okta:user_group) ${g.id}`);
    const meta = (await e.output('mulesoft'))['$okta-bootstrap'];
    expect(meta.objects.GOLD_GROUP).toMatchObject({ state: 'done', id: g.id, adopted: true });
    expect(meta.status).toBe('complete');
  }, 90_000);

  it('asks before updating in place; no leaves the org as it is', async () => {
    const input = parseObject(await readFile(file, 'utf8'));
    obj(obj(input.SILVER_SCOPE).default).description = 'silver, reworded';
    await writeFile(file, JSON.stringify(input));
    const mark = e.tenant.requestLog.length;
    const t = run();
    await drive(t, /Update SILVER_SCOPE .* in place\?/, 'n');
    expect((await t.exited).code).toBe(0);
    expect(t.transcript()).toContain('description: "silver level access" → "silver, reworded"');
    expect(e.writesSince(mark)).toEqual([]);
    const yes = run();
    await drive(yes, /Update SILVER_SCOPE .* in place\?/, 'y');
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
