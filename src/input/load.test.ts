import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../core/errors.js';
import { dataSourceFile, formatProblem, loadInput } from './load.js';
import { builtinInputs } from './builtins.js';
import { objectClassOf } from './schema.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LEGACY = join(ROOT, 'test', 'fixtures', 'legacy-inputs');
const SHARED = join(ROOT, '..', 'shared', 'legacy-inputs');

describe('legacy okta-bootstrapper inputs', () => {
  it.runIf(existsSync(SHARED))('the fixtures are byte-identical to ../shared/legacy-inputs', async () => {
    for (const f of ['mulesoft.json', 'mulesoft_policy.json']) {
      expect(Buffer.compare(await readFile(join(LEGACY, f)), await readFile(join(SHARED, f))), f).toBe(0);
    }
  });

  it('mulesoft.json loads with zero errors; its only outside reference is OKTA_TENANT (always known)', async () => {
    const r = await loadInput(join(LEGACY, 'mulesoft.json'));
    expect(r.name).toBe('mulesoft');
    expect(Object.keys(r.entries)).toHaveLength(29);
    expect(r.warnings).toEqual([]);
  });

  it('mulesoft_policy.json loads with zero errors; data-source keys are known once the output exists', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'okb-load-'));
    const alone = await loadInput(join(LEGACY, 'mulesoft_policy.json'));
    expect(alone.warnings.map((w) => w.severity)).not.toContain('error');
    expect(alone.warnings.map((w) => /\{\{(\w+)\}\}/.exec(w.message)![1]).sort()).toEqual(
      ['AUTHN_CLIENT_ID', 'GOLD_GROUP_ID', 'GOLD_SCOPE_NAME', 'OKTA_AZ_SERVER_ID', 'SILVER_GROUP_ID', 'SILVER_SCOPE_NAME'],
    );
    expect(alone.warnings[0]!.suggestion).toMatch(/data source mulesoft/);
    await writeFile(
      join(dir, 'mulesoft.json'),
      JSON.stringify({ OKTA_AZ_SERVER_ID: 'aus1', SILVER_GROUP_ID: '00g1', GOLD_GROUP_ID: '00g2', SILVER_SCOPE_NAME: 's', GOLD_SCOPE_NAME: 'g', '$okta-bootstrap': {} }),
    );
    const withData = await loadInput(join(LEGACY, 'mulesoft_policy.json'), { outputDir: dir, knownExternal: (k) => k === 'AUTHN_CLIENT_ID' });
    expect(withData.warnings).toEqual([]);
  });
});

describe('built-in inputs', () => {
  it('are listed with a one-line description', () => {
    const b = builtinInputs();
    expect(b.map((x) => x.name)).toEqual(['mulesoft', 'mulesoft_policy', 'standard']);
    for (const x of b) {
      expect(x.description.length).toBeGreaterThan(20);
      expect(x.description).not.toMatch(/\n/);
    }
  });

  it('load by name, without errors, every key explained', async () => {
    const m = await loadInput('mulesoft');
    expect(m.warnings).toEqual([]);
    const p = await loadInput('mulesoft_policy', { knownExternal: (k) => k === 'AUTHN_CLIENT_ID' || k.endsWith('_ID') || k.endsWith('_NAME') || k === 'TAG' || k === 'REDIRECT_URI' });
    expect(p.warnings).toEqual([]);
    for (const input of [m, p]) {
      for (const [k, e] of Object.entries(input.entries)) expect(e.hint ?? e.comment, `${input.name}.${k}`).toBeTruthy();
    }
  });

  it('mulesoft creates the keys get-settings and .env share', async () => {
    const m = await loadInput('mulesoft');
    for (const k of ['TAG', 'CLIENT_REGISTRATION_URL', 'PORT', 'REDIRECT_URI', 'INTROSPECT_CLIENT', 'INTROSPECT_CLIENT_ID', 'INTROSPECT_CLIENT_SECRET',
      'OKTA_AZ_SERVER', 'OKTA_AZ_SERVER_ID', 'OKTA_AZ_SERVER_ISSUER', 'AUTHORIZE_URL', 'TOKEN_URL', 'TOKEN_INTROSPECTION_URL', 'SILVER_GROUP', 'SILVER_GROUP_ID',
      'GOLD_GROUP', 'GOLD_GROUP_ID', 'SILVER_USER', 'GOLD_USER', 'SILVER_USERNAME', 'SILVER_PASSWORD', 'GOLD_USERNAME', 'GOLD_PASSWORD', 'SILVER_SCOPE_NAME', 'GOLD_SCOPE_NAME']) {
      expect(m.entries[k], k).toBeDefined();
    }
    expect(m.entries.INTROSPECT_CLIENT!.default).toMatchObject({ application_type: 'web', token_endpoint_auth_method: 'client_secret_basic' });
  });

  it('mulesoft_policy: gold rule first (priority 1), silver second; trusted origin and Everyone assignment', async () => {
    const p = await loadInput('mulesoft_policy');
    const prio = (k: string) => (p.entries[k]!.default as { priority: number }).priority;
    expect(prio('GOLD_RULE')).toBe(1);
    expect(prio('SILVER_RULE')).toBe(2);
    expect(objectClassOf(p.entries.APP_TRUSTED_ORIGIN)).toBe('okta:trusted_origin');
    expect(p.entries.APP_EVERYONE_ASSIGNMENT!.default).toEqual({ appId: '{{AUTHN_CLIENT_ID}}', groupId: 'Everyone' });
    expect(p.entries.DATA_SOURCE).toMatchObject({ objType: 'data', default: 'mulesoft' });
  });
});

describe('loading', () => {
  it('a missing file is a usage error naming the built-ins', async () => {
    const e = await loadInput('/nonexistent/x.json').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).details.suggestion).toMatch(/--mulesoft/);
  });

  it('a byte-order mark is ignored; the name is the base name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'okb-load-'));
    const f = join(dir, 'my-gateway.json');
    await writeFile(f, '\ufeff{"A": {"objType": "string", "default": "x"}}');
    const r = await loadInput(f);
    expect(r.name).toBe('my-gateway');
    expect(r.entries.A).toEqual({ objType: 'string', default: 'x' });
  });

  it('data sources: a name is an output in the output dir, a path is a path', () => {
    expect(dataSourceFile('mulesoft', '/o')).toBe('/o/mulesoft.json');
    expect(dataSourceFile('/elsewhere/run.json', '/o')).toBe('/elsewhere/run.json');
  });

  it('formats a problem on one line', () => {
    expect(formatProblem({ severity: 'warning', path: ['X', 'default'], message: 'm.', suggestion: 's.', line: 3, column: 5 })).toBe(
      'warning X.default (line 3, column 5): m. → s.',
    );
  });
});
