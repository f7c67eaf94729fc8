/**
 * Quitting: (q) in the interactive review, or Ctrl-C (SIGINT) during a --yes run, leaves every object
 * created so far recorded in the output, says so, exits 1; running the same command again finishes the job.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ROOT } from '../support/cli.js';
import { ptyAvailable, spawnPty } from '../support/pty.js';
import { expectOk, LEGACY, startEnv, type Env } from './apply-support.js';

const MULESOFT = join(LEGACY, 'mulesoft.json');
const isCreate = (x: { method: string; path: string; status: number }) => x.method === 'POST' && !x.path.includes('/lifecycle/') && x.status < 300;

async function expectFinishedByRerun(e: Env) {
  const r = expectOk(await e.cli(['--input', MULESOFT, '--yes']));
  expect(r.stderr).not.toContain('! conflict');
  const snap = await e.snapshot();
  expect(snap.servers).toHaveLength(2);
  expect(snap.groups).toHaveLength(3);
  expect(snap.users).toHaveLength(2);
  expect(snap.apps).toHaveLength(1);
  const meta = (await e.output('mulesoft'))['$okta-bootstrap'];
  expect(meta.status).toBe('complete');
  expect(Object.values(meta.objects).every((o) => o.state === 'done')).toBe(true);
}

describe('quitting', () => {
  let e: Env;
  beforeAll(async () => {
    e = await startEnv();
  });
  afterAll(() => e?.close());

  it.runIf(ptyAvailable())('q in the interactive review: what was created is recorded, and said so', async () => {
    const t = spawnPty(process.execPath, [join(ROOT, 'bin', 'okta-bootstrap.js'), '--input', MULESOFT, '--output-dir', e.out, '--env-file', join(e.dir, '.env')], {
      cwd: e.dir,
      env: { ...e.env, NO_COLOR: '1' },
      timeoutMs: 40_000,
    });
    // C (Enter) through the values, one by one, until three objects exist; then q
    // a live review ends with its key hints; the echo of an answered one does not
    let since = 0;
    for (let i = 0; i < 60; i++) {
      await t.waitFor(/\((Cpaqh|Caqh)\)/, { since });
      since = t.mark();
      const created = (t.transcript().match(/^\+ created /gm) ?? []).length;
      if (created >= 3) {
        t.type('q');
        t.press('enter');
        break;
      }
      t.press('enter');
    }
    expect((await t.exited).code).toBe(1);
    const transcript = t.transcript();
    expect(transcript).toMatch(/3 objects recorded in .*mulesoft\.json; run the same command again to finish/);
    const meta = (await e.output('mulesoft'))['$okta-bootstrap'];
    const done = Object.entries(meta.objects).filter(([, o]) => o.state === 'done');
    expect(done).toHaveLength(3);
    for (const [key] of done) expect(transcript).toContain(`+ created ${key} `);
    expect(meta.status).toBe('incomplete');
    await expectFinishedByRerun(e);
  }, 150_000);

  it('Ctrl-C (SIGINT) during a --yes run: the requests in flight finish, everything made is recorded', async () => {
    const f = await startEnv();
    try {
      let creates = 0;
      const log = f.tenant.requestLog;
      const push = log.push.bind(log);
      let child: import('node:child_process').ChildProcess | undefined;
      log.push = (...items) => {
        for (const it of items) if (isCreate(it) && ++creates === 3) child?.kill('SIGINT');
        return push(...items);
      };
      const r = await f.cli(['--input', MULESOFT, '--yes', '--concurrency', '1'], { onSpawn: (c) => (child = c) });
      expect(r.code).toBe(130);
      expect(r.stderr).toContain('Interrupted (Ctrl-C)');
      expect(r.stderr).toMatch(/run the same command again to finish/);
      const meta = (await f.output('mulesoft'))['$okta-bootstrap'];
      const done = Object.values(meta.objects).filter((o) => o.state === 'done');
      // every create Okta answered is recorded as done
      expect(done.length).toBe(log.filter(isCreate).length);
      expect(done.length).toBeLessThan(8);
      await expectFinishedByRerun(f);
    } finally {
      await f.close();
    }
  }, 60_000);
});
