/**
 * Proves the pseudo-terminal driver and the real prompter together: a tiny program (fixtures/prompt-demo.mjs)
 * reviews five values through createPrompter from the build (`npm run build`, as for every e2e test).
 */
import { describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli.js';
import { ptyAvailable, spawnPty, stripAnsi } from './pty.js';

const DEMO = join(ROOT, 'test', 'support', 'fixtures', 'prompt-demo.mjs');

function demo(args: string[] = []) {
  const built = join(ROOT, 'dist', 'resolve', 'prompt.js');
  const source = join(ROOT, 'src', 'resolve', 'prompt.ts');
  let stale: string | undefined;
  try {
    if (statSync(built).mtimeMs < statSync(source).mtimeMs) stale = 'older than src/resolve/prompt.ts';
  } catch {
    stale = 'missing';
  }
  if (stale) throw new Error(`dist/resolve/prompt.js is ${stale}: run \`npm run build\` first (npm test does).`);
  return spawnPty(process.execPath, [DEMO, ...args], { cwd: ROOT, env: { NO_COLOR: '1' } });
}

const result = (transcript: string) => JSON.parse(/RESULT (.*)/.exec(transcript.replace(/\n(?!RESULT)/g, ''))![1]!) as Record<string, unknown>;

describe('pty driver + the real prompter', () => {
  it('python3 with its pty module is available', () => {
    expect(ptyAvailable()).toBe(true);
  });

  it('C on one value, p with a new value, a for the rest', async () => {
    const t = demo();
    const first = await t.waitFor(/PORT: \(C\) continue/);
    expect(first).toContain('[1/5] PORT');
    expect(first).toContain('The port your web app listens on.');
    expect(first).toContain('value: 8080');
    t.press('enter'); // the default: continue
    await t.waitFor(/REDIRECT_URI: \(C\) continue, \(p\) provide a new value/);
    expect(t.screen()).toContain('Where your web app lives.');
    t.type('p');
    t.press('enter');
    await t.waitFor('New value for REDIRECT_URI');
    t.type('http://localhost:9090');
    t.press('enter');
    const third = await t.waitFor(/APP_PASSWORD: \(C\)/);
    expect(third).toContain('value: ********');
    expect(third).not.toContain('Sup3r-Secret-Value'); // masked
    t.type('a');
    t.press('enter');
    expect((await t.exited).code).toBe(0);
    expect(t.screen()).not.toContain('[4/5] GROUP'); // nothing more was asked
    expect(result(t.transcript())).toEqual({
      results: { PORT: '8080', REDIRECT_URI: 'http://localhost:9090', APP_PASSWORD: 'Sup3r-Secret-Value', GROUP: { profile: { name: 'g' } }, LAST: 'z' },
      auto: true,
    });
  });

  it('objects show the request and offer no (p)', async () => {
    const t = demo();
    for (const k of ['PORT', 'REDIRECT_URI', 'APP_PASSWORD']) {
      await t.waitFor(new RegExp(`${k}: \\(C\\)`));
      t.press('enter');
    }
    const screen = await t.waitFor(/GROUP: \(C\) continue, \(a\)/);
    expect(screen).toContain('[4/5] GROUP (okta:user_group)');
    expect(screen).toContain('POST /api/v1/groups');
    expect(screen).toMatch(/"name": "g"/);
    t.type('q');
    t.press('enter');
    expect((await t.exited).code).toBe(3);
    expect(result(t.transcript())).toEqual({ quitAt: 'GROUP', results: { PORT: '8080', REDIRECT_URI: 'http://localhost:8080', APP_PASSWORD: 'Sup3r-Secret-Value' } });
  });

  it('q quits at once', async () => {
    const t = demo();
    await t.waitFor(/PORT: \(C\)/);
    t.type('q');
    t.press('enter');
    expect((await t.exited).code).toBe(3);
    expect(result(t.transcript())).toEqual({ quitAt: 'PORT', results: {} });
  });

  it('Ctrl-C inside a prompt is an InterruptedError (exit 130)', async () => {
    const t = demo();
    await t.waitFor(/PORT: \(C\)/);
    t.press('enter');
    await t.waitFor(/REDIRECT_URI: \(C\)/);
    t.type('p');
    t.press('enter');
    await t.waitFor('New value for REDIRECT_URI');
    t.press('ctrl-c');
    expect((await t.exited).code).toBe(130);
    expect(t.transcript()).toMatch(/ERROR InterruptedError: Stopped at your request \(Ctrl-C\)\./);
  });

  it('--yes asks nothing, but a value nobody gave is still asked on a terminal', async () => {
    const t = demo(['--yes', '--ask']);
    await t.waitFor('ASKED has no value: nobody gave it');
    expect(t.screen()).not.toContain('[1/5]');
    t.type('given');
    t.press('enter');
    expect((await t.exited).code).toBe(0);
    expect(result(t.transcript())).toMatchObject({ results: { PORT: '8080', ASKED: 'given' }, auto: true });
  });

  it('the screen is what a terminal shows: redraws, erases and cursor moves applied, colours dropped', async () => {
    const t = spawnPty('printf', ['first\\n\\033[31mred\\033[0m line\\rR\\n? old prompt\\033[2K\\033[G? new prompt\\nx\\033[1A\\033[Gup\\033[K\\n']);
    expect((await t.exited).code).toBe(0);
    expect(t.screen()).toBe('first\nRed line\nup\nx');
    expect(t.transcript()).toContain('? old prompt');
    expect(stripAnsi('a\x1b[31mb\x1b[0mc\r\n')).toBe('abc\n');
  });

  it('waitFor afterInput ignores what was on screen before the last key', async () => {
    const t = spawnPty('sh', ['-c', 'echo ready; read x; echo "got $x"; read y; echo "got $y"']);
    await t.waitFor('ready');
    t.type('one\r');
    await t.waitFor(/got one/, { afterInput: true });
    t.type('two\r');
    await expect(t.waitFor(/got one/, { afterInput: true, timeoutMs: 300 })).rejects.toThrow(/ended before|timed out/);
    expect(t.screen()).toContain('got two');
    expect((await t.exited).code).toBe(0);
  });
});
