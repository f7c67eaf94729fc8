/**
 * Every command a person can ask --help of, from the program itself (src/cli/okta-bootstrap.ts fullProgram): a
 * command added later is checked by the help and README tests without editing a list.
 */
import type { Command } from 'commander';
import { fullProgram } from '../../src/cli/okta-bootstrap.js';

export type Bin = 'okta-bootstrap' | 'get-settings';

/**
 * [bin, the words before --help], the two roots first; commander's own `help` command left out, and with
 * `groups: false` the commands that only group others and take no flag of their own (`local`).
 */
export async function helpCommands(o: { groups?: boolean } = {}): Promise<[Bin, string[]][]> {
  const out: [Bin, string[]][] = [['okta-bootstrap', []], ['get-settings', []]];
  const walk = (cmd: Command, path: string[]) => {
    for (const c of cmd.commands) {
      if (c.name() === 'help') continue;
      const words = [...path, c.name()];
      const group = c.commands.length > 0 && c.options.length === 0;
      if (!group || o.groups !== false) out.push(['okta-bootstrap', words]);
      walk(c, words);
    }
  };
  walk(await fullProgram(), []);
  return out;
}
