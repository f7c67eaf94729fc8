import { describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../core/log.js';
import { parseOutput, serializeOutput, type OutputMeta } from '../core/output-format.js';
import { BootstrapError } from '../core/errors.js';
import { newMeta, openJournal } from './journal.js';

const ORG = 'http://127.0.0.1:7777';
const log = createLogger({ quiet: true });

async function folder(records: Record<string, { tag?: string; live?: boolean; org?: string; retired?: boolean }>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'okb-sets-'));
  for (const [name, r] of Object.entries(records)) {
    const meta: OutputMeta = { ...newMeta('demo', r.org ?? ORG), status: 'complete', tag: r.tag, ...(r.retired ? { retiredAt: '2026-01-01T00:00:00.000Z' } : {}) };
    meta.objects.G = { objectClass: 'okta:user_group', state: r.live === false ? 'deleted' : 'done', id: `00g${r.tag ?? ''}`, naturalKey: { 'profile.name': `g ${r.tag ?? ''}` }, at: '' };
    meta.replay = { U: { generated: [{ kind: 'firstName', value: `name-${r.tag ?? ''}` }] } };
    await writeFile(join(dir, name), serializeOutput({ values: { TAG: r.tag }, meta }));
  }
  return dir;
}

const open = (dir: string, o: { tag?: string; fresh?: boolean; write?: boolean; org?: string } = {}) =>
  openJournal({ dir, name: 'demo', orgUrl: o.org ?? ORG, inputFile: 'demo.json', dataSources: [], fresh: o.fresh ?? false, tag: o.tag, write: o.write ?? true, log });

async function read(dir: string, name: string) {
  return parseOutput(JSON.parse(await readFile(join(dir, name), 'utf8')));
}

describe('sets', () => {
  it('the same TAG (or none given) continues the current record; nothing is renamed', async () => {
    const dir = await folder({ 'demo.json': { tag: 'tA' } });
    for (const tag of [undefined, 'tA']) {
      const o = await open(dir, { tag });
      expect(Object.keys(o.recorded)).toEqual(['G']);
      expect(o.replay.U).toEqual([{ kind: 'firstName', value: 'name-tA' }]);
      await o.journal.flush();
    }
    expect((await readdir(dir)).filter((n) => !/^\d/.test(n))).toEqual(['demo.json']);
    expect((await read(dir, 'demo.json')).meta?.tag).toBe('tA');
  });

  it('another TAG: a fresh record replaying nothing; the current one becomes demo.<TAG>.json at the first write only', async () => {
    const dir = await folder({ 'demo.json': { tag: 'tA' } });
    const o = await open(dir, { tag: 'tB' });
    expect(o.recorded).toEqual({});
    expect(o.replay).toEqual({});
    expect(o.currentTag).toBe('tA');
    expect(await readdir(dir)).toEqual(['demo.json']);
    await o.journal.flush();
    const retired = await read(dir, 'demo.tA.json');
    expect(retired.meta?.retiredAt).toBeDefined();
    expect(retired.meta?.objects.G?.state).toBe('done');
    const current = await read(dir, 'demo.json');
    expect(current.meta?.tag).toBe('tB');
    expect(current.meta?.objects).toEqual({});
  });

  it('the TAG of an earlier set brings its record back, with its generated values', async () => {
    const dir = await folder({ 'demo.json': { tag: 'tB' }, 'demo.tA.json': { tag: 'tA', retired: true } });
    const o = await open(dir, { tag: 'tA' });
    expect(o.recorded.G?.id).toBe('00gtA');
    expect(o.replay.U).toEqual([{ kind: 'firstName', value: 'name-tA' }]);
    await o.journal.flush();
    const names = (await readdir(dir)).filter((n) => !/^\d/.test(n)).sort();
    expect(names).toEqual(['demo.json', 'demo.tB.json']);
    const current = await read(dir, 'demo.json');
    expect([current.meta?.tag, current.meta?.retiredAt, current.meta?.objects.G?.id]).toEqual(['tA', undefined, '00gtA']);
    expect((await read(dir, 'demo.tB.json')).meta?.objects.G?.id).toBe('00gtB');
  });

  it('--new-tag starts a fresh record and keeps the current one; a dry run renames nothing', async () => {
    const dir = await folder({ 'demo.json': { tag: 'tA' } });
    const dry = await open(dir, { fresh: true, write: false });
    await dry.journal.flush();
    expect(await readdir(dir)).toEqual(['demo.json']);
    const o = await open(dir, { fresh: true });
    expect(o.recorded).toEqual({});
    o.journal.meta.tag = 'tN';
    await o.journal.flush();
    expect((await read(dir, 'demo.tA.json')).meta?.tag).toBe('tA');
    expect((await read(dir, 'demo.json')).meta?.tag).toBe('tN');
  });

  it('a record that does not know its TAG is continued, and gets the run\'s', async () => {
    const dir = await folder({ 'demo.json': {} });
    const o = await open(dir, { tag: 'tA' });
    expect(Object.keys(o.recorded)).toEqual(['G']);
    await o.journal.flush();
    expect((await readdir(dir)).filter((n) => !/^\d/.test(n))).toEqual(['demo.json']);
    expect((await read(dir, 'demo.json')).meta?.tag).toBe('tA');
  });

  it('a current record that owns nothing live is simply replaced', async () => {
    const dir = await folder({ 'demo.json': { tag: 'tA', live: false } });
    const o = await open(dir, { tag: 'tB' });
    await o.journal.flush();
    expect((await readdir(dir)).filter((n) => !/^\d/.test(n))).toEqual(['demo.json']);
  });

  it('a taken name gets a suffix: no record is ever written over', async () => {
    const dir = await folder({ 'demo.json': { tag: 'tA' }, 'demo.tA.json': { tag: 'tA', org: 'https://other.okta.com', retired: true } });
    const o = await open(dir, { tag: 'tB' });
    await o.journal.flush();
    expect((await read(dir, 'demo.tA-2.json')).meta?.orgUrl).toBe(ORG);
    expect((await read(dir, 'demo.tA.json')).meta?.orgUrl).toBe('https://other.okta.com');
  });

  it('switchTo (a TAG typed at the review) refills the journal in place, keeping what was typed', async () => {
    const dir = await folder({ 'demo.json': { tag: 'tB' }, 'demo.tA.json': { tag: 'tA', retired: true } });
    const o = await open(dir);
    const { recorded, replay, journal } = o;
    journal.replayOf('PORT').typed = '9090';
    expect(await o.switchTo('tB', [])).toBe(false);
    expect(await o.switchTo('tA', ['PORT'])).toBe(true);
    expect(recorded.G?.id).toBe('00gtA');
    expect(journal.objects.G?.id).toBe('00gtA');
    expect(replay.U).toEqual([{ kind: 'firstName', value: 'name-tA' }]);
    expect(journal.meta.replay?.PORT?.typed).toBe('9090');
    await journal.flush();
    expect((await read(dir, 'demo.json')).meta?.tag).toBe('tA');
    expect((await read(dir, 'demo.tB.json')).meta?.tag).toBe('tB');
  });

  it('refuses another org\'s record (exit 2), naming both orgs and a folder for this one', async () => {
    const dir = await folder({ 'demo.json': { tag: 'tA', org: 'https://other.okta.com' } });
    const err: unknown = await open(dir).catch((x: unknown) => x);
    if (!(err instanceof BootstrapError)) throw new Error('expected a BootstrapError');
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain('records objects of https://other.okta.com, not of http://127.0.0.1:7777');
    expect(err.details.suggestion).toContain(`--output-dir ${join(dir, '127.0.0.1-7777')}`);
  });
});
