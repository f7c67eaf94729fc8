/**
 * Keeps the README true to the code: every command and every flag that `--help` shows (hidden ones excepted)
 * appears in README.md, with an example line that uses it, and every `okta-bootstrap <command>` the README names exists.
 */
import { describe, expect, it } from 'vitest';
import { helpCommands } from './support/commands.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, runCli } from './support/cli.js';

const COMMANDS = await helpCommands({ groups: false });

/** Long flags of every options section of a commander help text ("Options:", "Input (choose one):", …). */
function flagsOf(help: string): string[] {
  const options = help.split(/\n(?:Commands|Examples):\n/)[0] ?? '';
  return [...options.matchAll(/^ {2}(?:-\w, )?(--[a-z][a-z0-9_-]*)/gm)].map((m) => m[1]!).filter((f) => f !== '--help' && f !== '--version');
}

/** README lines that show usage: lines inside ``` blocks and table rows. */
function usageLines(readme: string): string[] {
  const out: string[] = [];
  let inBlock = false;
  for (const line of readme.split('\n')) {
    if (line.startsWith('```')) {
      inBlock = !inBlock;
      continue;
    }
    if (inBlock || line.startsWith('|')) out.push(line);
  }
  return out;
}

describe('README.md documents the CLI', async () => {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const lines = usageLines(readme);

  it.each(COMMANDS)('%s %j: every flag is shown in a usage line or table row', async (bin, sub) => {
    const r = await runCli(bin, [...sub, '--help']);
    expect(r.code, r.stderr).toBe(0);
    const flags = flagsOf(r.stdout);
    expect(flags.length).toBeGreaterThan(0);
    const where = [bin, ...sub].join(' ');
    if (sub.length > 0) expect(readme, where).toContain(`### okta-bootstrap ${sub[0]}`);
    const flagRe = (flag: string) => new RegExp(`${flag.replace(/-/g, '\\-')}(?![a-z0-9_-])`);
    for (const flag of flags) {
      expect(lines.some((l) => flagRe(flag).test(l)), `${where} ${flag}: no README usage line or table row shows it`).toBe(true);
    }
  }, 30_000);

  it('names no command the CLI does not have', async () => {
    const r = await runCli('okta-bootstrap', ['--help']);
    const commands = new Set([...r.stdout.split('\nCommands:\n')[1]!.matchAll(/^ {2}([a-z-]+)/gm)].map((m) => m[1]!));
    const named = [...lines.join('\n').matchAll(/okta-bootstrap ([a-z][a-z-]+)\b/g), ...readme.matchAll(/`okta-bootstrap ([a-z][a-z-]+)\b/g)];
    expect(named.length).toBeGreaterThan(5);
    for (const m of named) expect(commands.has(m[1]!), `README shows "okta-bootstrap ${m[1]}"`).toBe(true);
  });
});
