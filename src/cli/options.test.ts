import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { runOptions } from './apply.js';
import { similar, unknownCommandError } from './common.js';
import { resolveOrg } from './credentials.js';
import { flagName, optionSchemas, parseOptions } from './options.js';

const { duration, port, probability, url, wholeNumber } = await optionSchemas();

const ok = <S extends z.ZodType>(s: S, v: unknown) => s.parse(v);
const accepts = (s: z.ZodType, v: unknown) => s.safeParse(v).success;

describe('option schemas', () => {
  it('durations: ms, s, m, h, a bare number is seconds; more than 0', () => {
    expect(ok(duration, '600000ms')).toBe(600_000);
    expect(ok(duration, '90s')).toBe(90_000);
    expect(ok(duration, ' 10m ')).toBe(600_000);
    expect(ok(duration, '1.5h')).toBe(5_400_000);
    expect(ok(duration, '30')).toBe(30_000);
    for (const v of ['', 'soon', '10 m', '-1s', '0', '0ms', '1d']) expect(accepts(duration, v), v).toBe(false);
  });

  it('whole numbers, ports, probabilities and URLs', () => {
    expect(ok(wholeNumber(1), '8')).toBe(8);
    for (const v of ['0', '1.5', 'x', '', '-3', '1e3']) expect(accepts(wholeNumber(1), v), v).toBe(false);
    expect(ok(port, '0')).toBe(0);
    expect(ok(port, '65535')).toBe(65535);
    expect(accepts(port, '65536')).toBe(false);
    expect(ok(probability, '0.25')).toBe(0.25);
    expect(ok(probability, '1')).toBe(1);
    for (const v of ['1.5', '-0.1', 'half']) expect(accepts(probability, v), v).toBe(false);
    expect(ok(url, 'http://localhost:3000')).toBe('http://localhost:3000');
    expect(accepts(url, 'nope')).toBe(false);
    expect(accepts(url, '/relative/path')).toBe(false);
  });

  it('flag names from option keys', () => {
    expect(flagName('maxWait')).toBe('--max-wait');
    expect(flagName('mulesoft_introspect')).toBe('--mulesoft_introspect');
  });
});

describe('parseOptions', () => {
  const root = new Command('okta-bootstrap');
  const destroy = root.command('destroy');
  const raw = { outputDir: 'output', set: [], concurrency: '8', maxWait: '10m', localState: 's', envFile: '.env', requestTimeout: '30s' };

  it('gives typed values: durations in ms, booleans false when absent', async () => {
    expect(await parseOptions(root, runOptions, { ...raw, requestTimeout: '2m', yes: true })).toMatchObject({
      concurrency: 8,
      maxWait: 600_000,
      requestTimeout: 120_000,
      yes: true,
      dryRun: false,
      local: false,
    });
  });

  it('a bad value is a UsageError naming the flag, the value and the command\'s --help', async () => {
    let e: unknown;
    try {
      await parseOptions(destroy, runOptions, { ...raw, maxWait: 'soon' });
    } catch (x) {
      e = x;
    }
    if (!(e instanceof UsageError)) throw new Error(`expected a UsageError, got ${String(e)}`);
    expect(e.message).toBe('--max-wait takes a duration such as 90s, 10m or 600000ms, not "soon".');
    expect(e.details.suggestion).toBe('Run "okta-bootstrap destroy --help" for the options and examples.');
    expect(e.exitCode).toBe(2);
  });

  it('rules between flags', async () => {
    await expect(parseOptions(root, runOptions, { ...raw, json: true })).rejects.toThrow('--json goes with --dry-run.');
    await expect(parseOptions(root, runOptions, { ...raw, tag: 't', newTag: true })).rejects.toThrow(/--new-tag and --tag cannot be used together/);
  });
});

describe('did you mean', () => {
  it('suggests the closest candidates, prefixes count', () => {
    expect(similar('destory', ['destroy', 'register-client', 'schema'])).toEqual(['destroy']);
    expect(similar('shcema', ['destroy', 'schema'])).toEqual(['schema']);
    expect(similar('register', ['register-client', 'verify'])).toEqual(['register-client']);
    expect(similar('xyz', ['destroy', 'schema'])).toEqual([]);
  });

  it('an unknown command names the closest command and the help', () => {
    const root = new Command('okta-bootstrap');
    root.command('destroy');
    root.command('verify');
    const e = unknownCommandError(root, 'destory');
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe('"destory" is not a command of okta-bootstrap.');
    expect(e.details.suggestion).toMatch(/^Did you mean destroy\? Commands: destroy, verify, help\. Run "okta-bootstrap --help"/);
  });
});

describe('--request-timeout reaches the credentials', () => {
  it('resolveOrg puts requestTimeoutMs in the credentials object (and leaves it out when not given)', async () => {
    const saved = { ...process.env };
    try {
      process.env.OKTA_TENANT = 'https://dev-1.example.okta.com';
      process.env.OKTA_API_TOKEN = 'unit-test-token';
      const org = await resolveOrg({ envFile: '/nonexistent/.env', requestTimeoutMs: 45_000 });
      expect(org.credentials).toMatchObject({ orgUrl: 'https://dev-1.example.okta.com', requestTimeoutMs: 45_000 });
      const plain = await resolveOrg({ envFile: '/nonexistent/.env' });
      expect('requestTimeoutMs' in plain.credentials).toBe(false);
    } finally {
      process.env = saved;
    }
  });
});
