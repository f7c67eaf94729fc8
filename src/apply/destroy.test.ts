/**
 * runDestroy against the local tenant, on records written by hand: a pending entry found by natural key, a
 * refusal that leaves the rest deleted, --cascade through an earlier set of a dependent (found by data source and
 * org, not by file name), a snapshot refused by its meta.copyOf, a handover written to the other record, and the
 * locks released whatever the ending.
 */
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalTenant, type LocalTenant } from '../local-tenant/index.js';
import { createOktaClient, type OktaApi } from '../okta/client.js';
import { OUTPUT_FORMAT_VERSION, serializeOutput, validateOutput, type OutputMeta, type RecordedObject } from '../core/output-format.js';
import { createStyle } from '../core/style.js';
import type { Logger } from '../core/log.js';
import { BootstrapError, InterruptedError } from '../core/errors.js';
import { runDestroy, type DestroyOptions } from './destroy.js';

let tenant: LocalTenant;
let api: OktaApi;
let dir: string;
const lines: string[] = [];

const style = createStyle(false);
const logger: Logger = {
  style,
  errStyle: style,
  info: (m) => lines.push(m),
  warn: (m) => lines.push(m),
  verbose: () => undefined,
  debug: () => undefined,
  result: (m) => lines.push(m),
  level: { quiet: false, verbose: false, debug: false },
};

beforeAll(async () => {
  tenant = await startLocalTenant({ port: 0, rateLimits: 'none' });
  api = createOktaClient({ orgUrl: tenant.orgUrl, token: tenant.apiToken });
  dir = await mkdtemp(join(tmpdir(), 'okb-destroy-'));
});
afterAll(() => tenant?.close());

const at = new Date().toISOString();

async function group(name: string): Promise<string> {
  return String((await api.request<{ id: string }>('POST', '/api/v1/groups', { body: { profile: { name } } })).body.id);
}

function meta(input: string, objects: Record<string, RecordedObject>, extra: Partial<OutputMeta> = {}): OutputMeta {
  return { version: OUTPUT_FORMAT_VERSION, input, orgUrl: tenant.orgUrl, status: 'complete', startedAt: at, dataSources: [], objects, ...extra };
}

function groupEntry(name: string, id?: string, extra: Partial<RecordedObject> = {}): RecordedObject {
  return { objectClass: 'okta:user_group', state: id ? 'done' : 'pending', ...(id ? { id } : {}), naturalKey: { 'profile.name': name }, at, ...extra };
}

async function write(file: string, m: OutputMeta): Promise<string> {
  const path = join(dir, file);
  await writeFile(path, serializeOutput({ values: {}, meta: m }));
  return path;
}

async function read(file: string): Promise<OutputMeta> {
  const m = validateOutput(JSON.parse(await readFile(join(dir, file), 'utf8')), file).meta;
  if (!m) throw new Error(`${file} has no meta`);
  return m;
}

async function exists(gid: string): Promise<boolean> {
  try {
    await api.request('GET', `/api/v1/groups/${gid}`);
    return true;
  } catch {
    return false;
  }
}

function destroy(o: Partial<DestroyOptions>): ReturnType<typeof runDestroy> {
  lines.length = 0;
  return runDestroy({
    outputDir: dir,
    yes: true,
    cascade: false,
    interactive: false,
    credentials: { orgUrl: tenant.orgUrl, token: tenant.apiToken, orgUrlSource: 'test', tokenSource: 'test' },
    logger,
    debug: false,
    showSecrets: false,
    command: 'okta-bootstrap destroy (test)',
    streams: { stderr: { write: () => true } },
    ...o,
  });
}

async function noLocks(): Promise<void> {
  expect((await readdir(dir)).filter((n) => n.endsWith('.lock'))).toEqual([]);
}

describe('runDestroy', () => {
  it('finds a pending entry by natural key, refuses a renamed one, deletes the rest, then fails naming the refusal', async () => {
    const pending = await group('pending one');
    const renamed = await group('renamed by someone');
    const plain = await group('plain one');
    await write('p.json', meta('p', { PENDING: groupEntry('pending one'), RENAMED: groupEntry('was mine', renamed), PLAIN: groupEntry('plain one', plain), NEVER: groupEntry('never made') }));
    const err = await destroy({ input: 'p' }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(BootstrapError);
    expect((err as BootstrapError).exitCode).toBe(1);
    expect((err as BootstrapError).message).toContain(`RENAMED: recorded id ${renamed} is now okta:user_group profile.name "renamed by someone"`);
    expect(await exists(pending)).toBe(false);
    expect(await exists(plain)).toBe(false);
    expect(await exists(renamed)).toBe(true);
    const m = await read('p.json');
    expect([m.objects.PENDING?.state, m.objects.PENDING?.id, m.objects.PLAIN?.state, m.objects.NEVER?.state, m.objects.RENAMED?.state]).toEqual(['deleted', pending, 'deleted', 'deleted', 'done']);
    expect(lines.join('\n')).toMatch(/Destroyed: 2 deleted, 1 already gone, 0 failed, 1 refused/);
    await noLocks();
  });

  it('never deletes what a pending entry finds by natural key when Okta made it well before the intent', async () => {
    const older = await group('there before');
    const later = new Date(Date.now() + 10 * 60 * 1000).toISOString();
    await write('old.json', meta('old', { OLD: groupEntry('there before', undefined, { at: later }) }));
    const err = await destroy({ input: 'old' }).then(() => undefined, (e: unknown) => e);
    expect((err as BootstrapError).message).toContain(`OLD: recorded id ${older} is now okta:user_group profile.name "there before", made before this record's intent`);
    expect(await exists(older)).toBe(true);
    await noLocks();
  });

  it('--cascade goes through an earlier set of a dependent (by data source and org); another org\'s record is no dependent', async () => {
    const base = await group('base group');
    const dep = await group('dependent group');
    const foreign = await group('other org group');
    await write('base.json', meta('base', { G: groupEntry('base group', base) }));
    await write('dep.t1.json', meta('dep', { G: groupEntry('dependent group', dep) }, { tag: 't1', retiredAt: at, dataSources: ['base'] }));
    await write('far.json', meta('far', { G: groupEntry('other org group', foreign) }, { orgUrl: 'https://other.okta.com', dataSources: ['base'] }));
    const refused = await destroy({ input: 'base' }).then(() => undefined, (e: unknown) => e);
    expect((refused as BootstrapError).message).toContain('dep (');
    expect((refused as BootstrapError).details.suggestion).toContain(`--output ${join(dir, 'dep.t1.json')}`);
    expect(await exists(base)).toBe(true);
    await noLocks();
    const summary = await destroy({ input: 'base', cascade: true });
    expect(summary.outputFiles).toEqual([join(dir, 'dep.t1.json'), join(dir, 'base.json')]);
    expect([await exists(base), await exists(dep), await exists(foreign)]).toEqual([false, false, true]);
    await noLocks();
  });

  it('refuses a snapshot by its meta.copyOf (exit 2) whatever its name, with how to restore it', async () => {
    const g = await group('snap group');
    const file = await write('copy-of-s.json', meta('s', { G: groupEntry('snap group', g) }, { copyOf: 's.json' }));
    const err = await destroy({ outputFile: file }).then(() => undefined, (e: unknown) => e);
    expect((err as BootstrapError).exitCode).toBe(2);
    expect((err as BootstrapError).details.suggestion).toContain(`cp ${file} ${join(dir, 's.json')}`);
    expect(await exists(g)).toBe(true);
    await noLocks();
  });

  it('hands an object over to the record that shares it, in the same org; a dry run writes nothing', async () => {
    const g = await group('handed group');
    await write('owner.json', meta('owner', { G: groupEntry('handed group', g) }));
    await write('user.json', meta('user', { USED: groupEntry('handed group', g, { shared: true }) }));
    await destroy({ input: 'owner', dryRun: true });
    expect(lines.join('\n')).toContain(`G (okta:user_group) ${g} (kept: still used by ${join(dir, 'user.json')}`);
    expect((await read('owner.json')).objects.G?.state).toBe('done');
    const s = await destroy({ outputFile: `${dir}/./owner.json` });
    expect(s.released).toBe(1);
    expect(await exists(g)).toBe(true);
    expect((await read('owner.json')).objects.G).toBeUndefined();
    expect((await read('user.json')).objects.USED?.shared).toBeUndefined();
    await noLocks();
    await destroy({ input: 'user' });
    expect(await exists(g)).toBe(false);
  });

  it('never deletes an object another record owns already (a handover cut short): the entry is forgotten', async () => {
    const g = await group('owned twice group');
    await write('first.json', meta('first', { G: groupEntry('owned twice group', g) }));
    await write('second.json', meta('second', { G: groupEntry('owned twice group', g) }));
    const s = await destroy({ input: 'first' });
    expect([s.deleted, s.released]).toEqual([0, 1]);
    expect(await exists(g)).toBe(true);
    expect((await read('first.json')).objects.G).toBeUndefined();
    expect((await read('second.json')).objects.G?.state).toBe('done');
    expect(lines.join('\n')).toContain(`still used by ${join(dir, 'second.json')} (G), which owns it`);
    await destroy({ input: 'second' });
    expect(await exists(g)).toBe(false);
    await noLocks();
  });

  it('Ctrl-C: stops before the next step (exit 130), what it deleted recorded, the lock released', async () => {
    const g = await group('interrupted group');
    await write('i.json', meta('i', { G: groupEntry('interrupted group', g) }));
    const controller = new AbortController();
    controller.abort();
    const err = await destroy({ input: 'i', signal: controller.signal }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(InterruptedError);
    expect((err as InterruptedError).exitCode).toBe(130);
    expect(await exists(g)).toBe(true);
    await noLocks();
    await destroy({ input: 'i' });
    expect(await exists(g)).toBe(false);
  });
});
