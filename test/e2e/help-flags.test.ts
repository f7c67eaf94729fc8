/**
 * Flags and help a person can trust: every --help in one style (sentence case, no commander "(default: …)"),
 * the built-in inputs listed once, each command's summary one line in the root's list, no flag a command ignores,
 * and a --set key the input does not know refused with the closest one. None of these needs an org: no request
 * can be sent (OKTA_TENANT points nowhere reachable).
 */
import { describe, expect, it } from 'vitest';
import { helpCommands, type Bin } from '../support/commands.js';
import { runCli } from '../support/cli.js';

const NOWHERE = { OKTA_TENANT: 'https://nowhere.invalid', OKTA_API_TOKEN: 'help-test-token-000000' };
const run = (bin: Bin, args: string[]) => runCli(bin, args, { env: NOWHERE, timeoutMs: 20_000 });

const COMMANDS = await helpCommands();

/** The first line of each item (option or command) of every section of a help text, with its section. */
function items(help: string): { section: string; term: string; text: string; continued: boolean }[] {
  const out: { section: string; term: string; text: string; continued: boolean }[] = [];
  let section = '';
  const lines = help.split('\n');
  lines.forEach((line, i) => {
    if (/^\S.*:$/.test(line)) section = line;
    const m = /^ {2}(\S(?:.*?\S)?)(?: {2,}(.*))?$/.exec(line);
    if (!m || section === 'Examples:' || !section) return;
    const next = lines[i + 1] ?? '';
    out.push({ section, term: m[1] ?? '', text: m[2] ?? '', continued: /^ {6,}\S/.test(next) });
  });
  return out;
}

describe('--help texts', () => {
  it.each(COMMANDS)('%s %j: sentence case, no commander defaults', async (bin, sub) => {
    const r = await run(bin, [...sub, '--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/\(default: |\(choices: |display help for command|output the version number/);
    const all = items(r.stdout);
    expect(all.length).toBeGreaterThan(2);
    for (const it of all) expect(it.text, `${[bin, ...sub].join(' ')}: "${it.term}" starts in lower case`).not.toMatch(/^[a-z]/);
    // the description paragraph too
    const description = r.stdout.split('\n\n')[1] ?? '';
    expect(description).toMatch(/^[A-Z]/);
  });

  it('the root lists each built-in input once, under its own heading, and every command in one line', async () => {
    const r = await run('okta-bootstrap', ['--help']);
    const options = r.stdout.split('\nCommands:\n')[0] ?? '';
    for (const flag of ['  --mulesoft ', '  --mulesoft_policy ']) expect(options.split(flag).length - 1, flag).toBe(1);
    expect(r.stdout).not.toContain('Built-in inputs:');
    expect(r.stdout).toContain('Input (choose one):\n  --mulesoft ');
    const commands = items(r.stdout).filter((i) => i.section === 'Commands:');
    expect(commands.map((c) => c.term.split(' ')[0])).toEqual(['destroy', 'ls', 'register-client', 'schema', 'local', 'verify', 'gateway', 'app', 'help']);
    for (const c of commands) expect(c.continued, `${c.term}: its summary takes more than one line`).toBe(false);
    // the detail stays in the command's own help
    const verify = await run('okta-bootstrap', ['verify', '--help']);
    expect(verify.stdout).toMatch(/the\s+live\s+dance\s+for\s+the\s+silver\s+and\s+gold\s+users/);
    const gateway = await run('okta-bootstrap', ['gateway', '--help']);
    expect(gateway.stdout).toMatch(/client\s+ID\s+enforcement\s+\(403\)/);
  });

  it('destroy --help describes destroy, and destroy has no --show-secrets (it prints no secret)', async () => {
    const r = await run('okta-bootstrap', ['destroy', '--help']);
    expect(r.stdout).not.toMatch(/run any input file/i);
    expect(r.stdout).toMatch(/--mulesoft\s+Delete what the --mulesoft runs created/);
    expect(r.stdout).toMatch(/--input <file>\s+Delete what runs of this input file created/);
    expect(r.stdout).toMatch(/--tag <tag>\s+With --<input>: the set of this TAG/);
    expect(r.stdout).toMatch(/--all\s+With --<input>: every set of the input/);
    expect(r.stdout).not.toContain('--show-secrets');
    const flag = await run('okta-bootstrap', ['destroy', '--mulesoft', '--show-secrets']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("unknown option '--show-secrets'");
  });
});

describe('--set KEY=VALUE', () => {
  it('a key the input neither defines nor references: exit 2 with the closest key, before any request', async () => {
    const r = await run('okta-bootstrap', ['--mulesoft', '--yes', '--set', 'PROT=9090']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('--set PROT: mulesoft has no value PROT and no template uses it: did you mean PORT?');
    expect(r.stderr).not.toMatch(/nowhere\.invalid/); // refused before the org is reached
    const two = await run('okta-bootstrap', ['--mulesoft', '--yes', '--set', 'PROT=9090', '--set', 'REDIRECT_URL=http://x']);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/2 --set keys are unknown/);
    expect(two.stderr).toMatch(/REDIRECT_URL.*did you mean REDIRECT_URI\?/);
  });

  it('a key only a template references (defined nowhere in the input) is accepted', async () => {
    // AUTHN_CLIENT_ID and TAG are external to mulesoft_policy: the check passes, and the run goes on to the org
    const r = await run('okta-bootstrap', ['--mulesoft_policy', '--yes', '--set', 'AUTHN_CLIENT_ID=0oaX', '--set', 'TAG=t1']);
    expect(r.code).not.toBe(0); // the org is nowhere
    expect(r.stderr).not.toMatch(/no template uses it/);
    const tenant = await run('okta-bootstrap', ['--mulesoft', '--yes', '--set', 'OKTA_TENANT=https://x.invalid']);
    expect(tenant.stderr).not.toMatch(/no template uses it/);
  });
});
