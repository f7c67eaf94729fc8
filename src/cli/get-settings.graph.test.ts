/**
 * get-settings only reads files: it must never load the Okta SDK or inquirer; nor may `okta-bootstrap --help`
 * (cold start). This runs the BUILT CLI under a
 * loader hook (node --import) that records every module URL the ES loader resolves, and on exit every CommonJS
 * module in require.cache (the SDK is CommonJS), then checks the list. A control run that does import the SDK
 * proves the guard sees such an import.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, ROOT } from '../../test/support/cli.js';

const FORBIDDEN = /node_modules\/(@okta\/okta-sdk-nodejs|@inquirer\/)/;
/** Loaded only once an action parses its options: --help never pays for it. */
const ZOD = /node_modules\/zod\//;

const GUARD = `
import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
const log = process.env.GUARD_LOG;
register('data:text/javascript,' + encodeURIComponent(\`
  import { appendFileSync } from 'node:fs';
  export async function resolve(specifier, context, next) {
    const r = await next(specifier, context);
    appendFileSync(process.env.GUARD_LOG, 'esm ' + r.url + '\\\\n');
    return r;
  }\`));
const require = createRequire(import.meta.url);
process.on('exit', () => {
  for (const k of Object.keys(require.cache)) appendFileSync(log, 'cjs ' + k.replace(/\\\\\\\\/g, '/') + '\\n');
});
`;

let dir: string;
let guard: string;

function runGuarded(args: string[], logName: string, cwd: string) {
  const log = join(dir, logName);
  const r = spawnSync(process.execPath, ['--import', guard, ...args], {
    cwd,
    env: cleanEnv({ GUARD_LOG: log, OKTA_API_TOKEN: 'fake-token-for-graph-test' }),
    encoding: 'utf8',
  });
  return { ...r, log };
}

async function loaded(log: string): Promise<string[]> {
  return (await readFile(log, 'utf8')).split('\n').filter(Boolean);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'okb-graph-'));
  guard = join(dir, 'guard.mjs');
  await writeFile(guard, GUARD);
  // Node 20 itself exits 9 when an --env-file argument (even one meant for the script) names no file.
  await writeFile(join(dir, 'x.env'), '# empty\n');
  await writeFile(join(dir, 'mulesoft.json'), JSON.stringify({ OKTA_TENANT: 'https://dev-1.example.okta.com', PORT: '8080' }));
});

describe('get-settings module graph', () => {
  it('the guard sees an import of the Okta SDK (control)', async () => {
    const r = runGuarded(['--input-type=module', '-e', "await import('@okta/okta-sdk-nodejs')"], 'control.log', ROOT);
    expect(r.status, r.stderr).toBe(0);
    const mods = await loaded(r.log);
    expect(mods.filter((m) => FORBIDDEN.test(m)).length).toBeGreaterThan(0);
  });

  it.each([
    ['--mulesoft', '--format', 'json'],
    ['--mulesoft_introspect', '--write-env', 'w.env', '--verbose'],
    ['--help'],
    ['--mulesoft', '--local', '--local-state', 'missing.json'],
  ])('get-settings %s loads neither the SDK nor inquirer (nor zod, for --help)', async (...args) => {
    const r = runGuarded([join(ROOT, 'bin', 'get-settings.js'), ...args, '--output-dir', dir, '--env-file', join(dir, 'x.env')], `run-${args.join('')}.log`, dir);
    expect([0, 1, 2], r.stderr).toContain(r.status);
    const mods = await loaded(r.log);
    // the run really went through our modules
    expect(mods.some((m) => m.includes('/dist/cli/get-settings.js'))).toBe(true);
    expect(mods.some((m) => m.includes('/dist/settings/profiles.js'))).toBe(true);
    expect(mods.filter((m) => FORBIDDEN.test(m))).toEqual([]);
    if (args[0] === '--help') expect(mods.filter((m) => ZOD.test(m))).toEqual([]);
  });
});

describe('okta-bootstrap --help module graph (cold start)', () => {
  it.each([['--help'], ['help'], ['help', 'destroy'], ['destroy', '--help'], ['register-client', '--help'], ['destory']])(
    'okta-bootstrap %s loads neither the SDK, inquirer nor zod',
    async (...args) => {
      const r = runGuarded([join(ROOT, 'bin', 'okta-bootstrap.js'), ...args], `ob-${args.join('')}.log`, dir);
      expect([0, 2], r.stderr).toContain(r.status);
      const mods = await loaded(r.log);
      expect(mods.some((m) => m.includes('/dist/cli/okta-bootstrap.js'))).toBe(true);
      expect(mods.some((m) => m.includes('/dist/cli/register-client.js'))).toBe(true);
      expect(mods.filter((m) => FORBIDDEN.test(m) || ZOD.test(m))).toEqual([]);
    },
  );
});
