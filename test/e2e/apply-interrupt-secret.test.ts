/**
 * Ctrl-C in a terminal during a run given a secret with --set: the "run the same command again" hint shows the
 * value as ********, and the value appears nowhere on the screen nor in any file the run wrote (the output
 * folder, HOME).
 */
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';
import { ptyAvailable, spawnPty } from '../support/pty.js';
import { startEnv } from './apply-support.js';

const SECRET = 'Vx9-pty-Secret-Value-41';

/** Every file under `dir`, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const d of await readdir(dir, { withFileTypes: true, recursive: true })) if (d.isFile()) out.push(join(d.parentPath, d.name));
  return out;
}

const groups = Object.fromEntries(
  Array.from({ length: 8 }, (_, i) => [`PTY_GROUP_${i}`, { objType: 'json', objectClass: 'okta:user_group', saveToOutput: true, default: { profile: { name: `pty group ${i}`, description: 'd' } } }]),
);
const INPUT = {
  SILVER_PASSWORD: { objType: 'string', saveToOutput: false, hint: 'the user password' },
  ...groups,
  PTY_USER: {
    objType: 'json',
    objectClass: 'okta:user',
    saveToOutput: true,
    default: {
      profile: { firstName: 'Pty', lastName: 'User', email: 'pty.user@example.com', login: 'pty.user@example.com' },
      credentials: { password: { value: '{{SILVER_PASSWORD}}' } },
      groupIds: ['{{PTY_GROUP_7.id}}'],
    },
  },
};

describe('Ctrl-C with a secret given by --set', () => {
  it.runIf(ptyAvailable())('the secret is shown as ******** in the hint, and is nowhere on screen or on disk', async () => {
    const e = await startEnv({ latencyMs: 120 });
    try {
      const home = await mkdtemp(join(tmpdir(), 'okb-home-'));
      const input = join(e.dir, 'pty-secret.json');
      await writeFile(input, JSON.stringify(INPUT, null, 2));
      const t = spawnPty(
        process.execPath,
        [join(ROOT, 'bin', 'okta-bootstrap.js'), '--input', input, '--yes', '--concurrency', '1', '--set', `SILVER_PASSWORD=${SECRET}`, '--output-dir', e.out, '--env-file', join(e.dir, '.env')],
        { cwd: e.dir, env: { ...e.env, HOME: home, NO_COLOR: '1' }, timeoutMs: 40_000 },
      );
      await t.waitFor(/\+ created PTY_GROUP_/);
      t.press('ctrl-c');
      expect((await t.exited).code).toBe(130);
      const transcript = t.transcript();
      expect(transcript).toContain('Interrupted (Ctrl-C)');
      expect(transcript).toMatch(/okta-bootstrap .*--set 'SILVER_PASSWORD=\*{8}'/);
      expect(transcript).not.toContain(SECRET);
      const files = [...(await filesUnder(e.out)), ...(await filesUnder(home))];
      expect(files.length).toBeGreaterThan(0); // the output was written
      for (const f of files) expect(await readFile(f, 'utf8'), f).not.toContain(SECRET);
    } finally {
      await e.close();
    }
  }, 90_000);
});
