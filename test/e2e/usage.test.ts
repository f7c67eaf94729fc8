/**
 * Every usage mistake exits 2 and says what to do, for both bins and every command: an unknown option, a missing
 * required option, an unknown command (with the closest one suggested), a value of the wrong kind. `help` prints
 * help and exits 0. None of these needs an org: no request can be sent (OKTA_TENANT points nowhere reachable).
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

type Bin = 'okta-bootstrap' | 'get-settings';
const NOWHERE = { OKTA_TENANT: 'https://nowhere.invalid', OKTA_API_TOKEN: 'usage-test-token-000000' };
const run = (bin: Bin, args: string[]) => runCli(bin, args, { env: NOWHERE, timeoutMs: 20_000 });

/** [bin, command path, the command's required options]. */
const COMMANDS: [Bin, string[], string[]][] = [
  ['okta-bootstrap', [], []],
  ['okta-bootstrap', ['destroy'], []],
  ['okta-bootstrap', ['register-client'], ['--name', 'n', '--redirect-uri', 'http://localhost:8080']],
  ['okta-bootstrap', ['schema'], []],
  ['okta-bootstrap', ['verify'], []],
  ['okta-bootstrap', ['gateway'], []],
  ['okta-bootstrap', ['local', 'serve'], []],
  ['okta-bootstrap', ['local', 'info'], []],
  ['okta-bootstrap', ['local', 'reset'], []],
  ['get-settings', [], []],
];

describe('usage errors exit 2 and name the fix', () => {
  it.each(COMMANDS)('%s %j: an unknown option', async (bin, sub, required) => {
    const r = await run(bin, [...sub, ...required, '--no-such-flag']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain("unknown option '--no-such-flag'");
    expect(r.stderr).toContain(`run "${[bin, ...sub].join(' ')} --help"`);
  });

  it('a mistyped option gets commander\'s suggestion', async () => {
    const r = await run('okta-bootstrap', ['destroy', '--cascde']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Did you mean --cascade\?/);
  });

  it('missing required options', async () => {
    const noName = await run('okta-bootstrap', ['register-client', '--redirect-uri', 'http://localhost:8080']);
    expect(noName.code, noName.stderr).toBe(2);
    expect(noName.stderr).toContain("required option '--name <name>' not specified");
    expect(noName.stderr).toContain('register-client --help');
    const noRedirect = await run('okta-bootstrap', ['register-client', '--name', 'x']);
    expect(noRedirect.code, noRedirect.stderr).toBe(2);
    expect(noRedirect.stderr).toContain('--redirect-uri is required');
    const noSubcommand = await run('okta-bootstrap', ['local']);
    expect(noSubcommand.code).toBe(2);
    expect(noSubcommand.stderr).toMatch(/serve/);
    for (const args of [['verify'], ['gateway'], ['destroy'], []]) {
      const r = await run('okta-bootstrap', args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/--mulesoft/);
    }
    const gs = await run('get-settings', []);
    expect(gs.code).toBe(2);
    expect(gs.stderr).toMatch(/--mulesoft_introspect/);
  });

  it('an unknown command suggests the closest one', async () => {
    const r = await run('okta-bootstrap', ['destory']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('"destory" is not a command of okta-bootstrap');
    expect(r.stderr).toContain('Did you mean destroy?');
    const reg = await run('okta-bootstrap', ['register']);
    expect(reg.code).toBe(2);
    expect(reg.stderr).toContain('Did you mean register-client?');
    const local = await run('okta-bootstrap', ['local', 'srve']);
    expect(local.code).toBe(2);
    expect(local.stderr).toMatch(/Did you mean serve\?/);
    const gs = await run('get-settings', ['mulesoft']);
    expect(gs.code, gs.stderr).toBe(2);
    expect(gs.stderr).toContain('Did you mean --mulesoft?');
  });

  it.each([
    [['--mulesoft', '--max-wait', 'soon'], '--max-wait takes a duration such as 90s, 10m or 600000ms, not "soon"'],
    [['--mulesoft', '--request-timeout', '0'], '--request-timeout takes a duration longer than 0'],
    [['--mulesoft', '--concurrency', '0'], '--concurrency takes a whole number ≥ 1, not "0"'],
    [['--mulesoft', '--json'], '--json goes with --dry-run'],
    [['--mulesoft', '--tag', 't', '--new-tag'], '--new-tag and --tag cannot be used together'],
    [['--mulesoft', '--tag', 'team a'], '--tag must be 1 to 64 letters, digits, dots, dashes or underscores'],
    [['--mulesoft', '--tag', '../x'], '--tag must be 1 to 64 letters'],
    [['destroy', '--mulesoft', '--request-timeout', 'x'], '--request-timeout takes a duration'],
    [['register-client', '--name', 'n', '--redirect-uri', 'http://localhost:8080', '--request-timeout', '-1s'], '--request-timeout takes a duration'],
    [['verify', '--mulesoft', '--request-timeout', 'forever'], '--request-timeout takes a duration'],
    [['gateway', '--mulesoft', '--port', '70000'], '--port takes a whole number from 0 to 65535, not "70000"'],
    [['gateway', '--mulesoft', '--upstream', 'nope'], '--upstream takes an absolute URL'],
    [['local', 'serve', '--fail-rate', '2'], '--fail-rate takes a probability from 0 to 1, not "2"'],
    [['local', 'serve', '--seed', 'x'], '--seed takes a whole number'],
  ])('okta-bootstrap %j: a bad value', async (args, message) => {
    const r = await run('okta-bootstrap', args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toMatch(/--help" for the options and examples/);
  });

  it('two bad values are reported together', async () => {
    const r = await run('okta-bootstrap', ['--mulesoft', '--concurrency', 'many', '--max-wait', 'soon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('2 problems with the options');
    expect(r.stderr).toContain('--concurrency');
    expect(r.stderr).toContain('--max-wait');
  });
});

describe('help', () => {
  it.each([
    ['okta-bootstrap', ['help'], 'Usage: okta-bootstrap'],
    ['okta-bootstrap', ['help', 'destroy'], 'Usage: okta-bootstrap destroy'],
    ['okta-bootstrap', ['help', 'local'], 'Usage: okta-bootstrap local'],
    ['get-settings', ['help'], 'Usage: get-settings'],
  ] as [Bin, string[], string][])('%s %j prints help and exits 0', async (bin, args, usage) => {
    const r = await run(bin, args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(usage);
  });

  it('--request-timeout is in the help of every command that talks to Okta', async () => {
    for (const sub of [[], ['destroy'], ['register-client'], ['verify']]) {
      const r = await run('okta-bootstrap', [...sub, '--help']);
      expect(r.stdout, sub.join(' ')).toMatch(/--request-timeout <duration>.*default 30s or\s+OKTA_BOOTSTRAP_REQUEST_TIMEOUT/s);
    }
  });
});
