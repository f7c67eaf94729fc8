import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../core/log.js';
import type { InputEntry } from '../input/schema.js';
import { createGenerators } from '../resolve/generate.js';
import { createPrompter } from '../resolve/prompt.js';
import { loadValueSources } from '../resolve/sources.js';
import { openJournal } from './journal.js';
import { ReplayGenerators } from './replay.js';
import { KNOWN, keysFromObjects, typedValueProblem, ValueResolver, type NodeInfo, type PassValues } from './values.js';

describe('typedValueProblem: a value typed at (p) is checked as the plan checks it', () => {
  it('ports', () => {
    expect(typedValueProblem('PORT', '9191', '8080')).toBeUndefined();
    expect(typedValueProblem('PORT', 'abc', '8080')).toMatch(/PORT must be a port number from 1 to 65535, not "abc"/);
    expect(typedValueProblem('PORT', '70000', '8080')).toMatch(/port number/);
  });
  it('URLs and redirect URIs, by name or by the form of the value they replace', () => {
    expect(typedValueProblem('REDIRECT_URI', 'http://localhost:9191/cb', 'http://localhost:8080')).toBeUndefined();
    expect(typedValueProblem('REDIRECT_URI', 'not a url', 'http://localhost:8080')).toMatch(/absolute URL/);
    expect(typedValueProblem('REDIRECT_URI', '9191', 'http://localhost:8080')).toMatch(/absolute URL/);
    expect(typedValueProblem('HOME_PAGE', 'x', 'https://example.com')).toMatch(/absolute URL/);
  });
  it('origins, e-mail addresses and domains', () => {
    expect(typedValueProblem('APP_ORIGIN', 'http://localhost:8080', '')).toBeUndefined();
    expect(typedValueProblem('APP_ORIGIN', 'http://localhost:8080/cb', '')).toMatch(/origin/);
    expect(typedValueProblem('ADMIN_EMAIL', 'a@b', 'x@y.z')).toMatch(/e-mail/);
    expect(typedValueProblem('ADMIN_EMAIL', 'a@b.c', 'x@y.z')).toBeUndefined();
    expect(typedValueProblem('FAKE_USER_DOMAIN', 'not a domain', 'oktademo.com')).toMatch(/domain name/);
    expect(typedValueProblem('FAKE_USER_DOMAIN', 'example.org', 'oktademo.com')).toBeUndefined();
  });
  it('anything else is free text', () => {
    expect(typedValueProblem('TAG', 'my tag', 'autogen')).toBeUndefined();
  });
});

describe('keysFromObjects', () => {
  it('values that read an object, directly or through another value, and nothing else', () => {
    const n = (key: string, deps: string[], objectClass?: 'okta:user_group'): NodeInfo => ({ key, entry: objectClass ? { objType: 'json', objectClass, default: {} } : { objType: 'string' }, deps, external: [] });
    const nodes = new Map([n('TAG', []), n('GROUP', ['TAG'], 'okta:user_group'), n('GROUP_ID', ['GROUP']), n('GROUP_URL', ['GROUP_ID']), n('NAME', ['TAG'])].map((x) => [x.key, x]));
    expect([...keysFromObjects([...nodes.keys()], nodes)]).toEqual(['GROUP_ID', 'GROUP_URL']);
  });
});

describe('ValueResolver: values read from objects, and values nobody gives in a run that cannot ask', () => {
  const stream = (): NodeJS.WriteStream & { text: string } => {
    const s = { text: '', write(m: string) { s.text += m; return true; } };
    return s as unknown as NodeJS.WriteStream & { text: string };
  };
  const node = (key: string, entry: InputEntry, deps: string[] = [], external: string[] = []): NodeInfo => ({ key, entry, deps, external });
  const SERVER = node('SERVER', { objType: 'json', objectClass: 'okta:authz_server', default: { name: 's' } });
  const ISSUER = node('ISSUER', { objType: 'string', default: '{{SERVER.issuer}}' }, ['SERVER']);
  const NEEDS = node('NEEDS', { objType: 'string' });

  async function resolver(o: { set?: string[]; dotenv?: string; canAsk?: boolean; dryRun?: boolean; dataValues?: Record<string, unknown>; dataFromObjects?: string[] }) {
    const dir = await mkdtemp(join(tmpdir(), 'okb-values-'));
    const envFile = join(dir, '.env');
    await writeFile(envFile, o.dotenv ?? '');
    const warnings: string[] = [];
    const log = { ...createLogger({ quiet: true }), warn: (m: string) => warnings.push(m) };
    const { journal, replay } = await openJournal({ dir, name: 't', orgUrl: 'https://x', inputFile: join(dir, 't.json'), dataSources: [], fresh: false, write: false, log });
    const nodes = new Map([SERVER, ISSUER, NEEDS].map((n) => [n.key, n]));
    const order = [...nodes.keys()];
    const r = new ValueResolver({
      sources: loadValueSources({ set: o.set ?? [], envFile, env: {} }),
      prompter: createPrompter({ yes: true, interactive: false, showSecrets: false, out: stream() }),
      journal,
      gens: new ReplayGenerators(createGenerators(), replay),
      log,
      dryRun: o.dryRun ?? false,
      showSecrets: false,
      order,
      dataValues: o.dataValues ?? {},
      dataEntries: new Map(),
      canAsk: o.canAsk ?? false,
      fromObject: keysFromObjects(order, nodes),
      dataFromObjects: new Set(o.dataFromObjects ?? []),
      dataSource: () => 'data source mulesoft, output/mulesoft.json',
    });
    return { r, warnings, envFile };
  }

  it(".env's value for a key read from an object is not used, and reported once with its source and the value used", async () => {
    const { r, warnings, envFile } = await resolver({ dotenv: 'ISSUER=https://old/oauth2/aus0\n' });
    const pass: PassValues = new Map([['SERVER', { issuer: 'https://new/oauth2/aus1' }]]);
    await r.value(ISSUER, pass, 'plan');
    await r.value(ISSUER, pass, 'apply');
    expect(pass.get('ISSUER')).toBe('https://new/oauth2/aus1');
    expect(warnings).toEqual([`ISSUER: ${envFile} gives "https://old/oauth2/aus0", which is not used: ISSUER is read from SERVER, "https://new/oauth2/aus1".`]);
  });

  it('a value not known yet is reported once known (the apply pass), or as not known in a dry run', async () => {
    const later = await resolver({ dotenv: 'ISSUER=https://old\n' });
    const pass: PassValues = new Map([['SERVER', KNOWN]]);
    await later.r.value(ISSUER, pass, 'plan');
    expect(later.warnings).toEqual([]);
    const dry = await resolver({ dotenv: 'ISSUER=https://old\n', dryRun: true });
    await dry.r.value(ISSUER, pass, 'plan');
    expect(dry.warnings).toEqual([expect.stringContaining(`which is not used: ISSUER is read from SERVER, "${KNOWN}"`)]);
  });

  it('--set still wins, with a warning', async () => {
    const { r, warnings } = await resolver({ set: ['ISSUER=https://forced'] });
    const pass: PassValues = new Map([['SERVER', { issuer: 'https://new' }]]);
    await r.value(ISSUER, pass, 'apply');
    expect(pass.get('ISSUER')).toBe('https://forced');
    expect(warnings).toEqual(['ISSUER: --set ISSUER="https://forced" is used instead of the value this input reads from its objects.']);
  });

  it("a data source's value read from its objects beats .env; its other values rank as before", async () => {
    const { r, warnings } = await resolver({ dotenv: 'SERVER_ID=ausOLD\nREDIRECT_URI=http://localhost:9999\n', dataValues: { SERVER_ID: 'ausNEW', REDIRECT_URI: 'http://localhost:8080' }, dataFromObjects: ['SERVER_ID'] });
    expect(await r.external('SERVER_ID', false)).toBe('ausNEW');
    expect(await r.external('REDIRECT_URI', false)).toBe('http://localhost:9999');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/SERVER_ID: .* gives "ausOLD", which is not used: SERVER_ID is read from the data source mulesoft, output\/mulesoft.json, "ausNEW"/);
  });

  it('in a run that cannot ask, values nobody gives are collected, each once with the keys that need it, not asked', async () => {
    const { r } = await resolver({});
    const pass: PassValues = new Map();
    expect(await r.external('NOPE', true, 'A')).toBe(KNOWN);
    expect(await r.external('NOPE', true, 'B')).toBe(KNOWN);
    await r.value(NEEDS, pass, 'apply');
    expect(pass.get('NEEDS')).toBe(KNOWN);
    expect([...r.missing.values()].map((p) => `${p.path.join('.')}: ${p.message}`)).toEqual([
      'A, B: {{NOPE}} names NOPE, which this input does not define, and no --set, environment, .env or data source gives it',
      'NEEDS: NEEDS has no default, and no --set, environment or .env value gives it',
    ]);
  });
});
