import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOutput } from '../core/output-format.js';
import { newMeta, OutputJournal } from './journal.js';
import { ReplayGenerators } from './replay.js';

describe('OutputJournal', () => {
  it('writes latest and per-run files atomically, 0600, serializing concurrent flushes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'okb-journal-'));
    const j = new OutputJournal({ dir, input: 'demo', runAt: new Date(2026, 0, 2, 3, 4), write: true }, { OKTA_TENANT: 'http://x' }, newMeta('demo', 'http://x'));
    const flushes = [];
    for (let i = 0; i < 20; i++) {
      j.record(`K${i}`, { state: 'pending', objectClass: 'okta:user_group', naturalKey: { 'profile.name': `g${i}` } });
      flushes.push(j.flush());
      j.record(`K${i}`, { state: 'done', id: `00g${i}` });
      j.setValue(`K${i}`, { id: `00g${i}` });
      flushes.push(j.flush());
    }
    await Promise.all(flushes);
    expect((await readdir(dir)).sort()).toEqual(['20260102-030400_demo.json', 'demo.json']);
    const out = parseOutput(JSON.parse(await readFile(join(dir, 'demo.json'), 'utf8')));
    expect(Object.values(out.meta!.objects).every((o) => o.state === 'done')).toBe(true);
    expect(Object.keys(out.meta!.objects)).toHaveLength(20);
    expect(out.values.K19).toEqual({ id: '00g19' });
    expect((await stat(join(dir, 'demo.json'))).mode & 0o777).toBe(0o600);
    // the snapshot is the record with copyOf; the record itself never has copyOf
    const snap = parseOutput(JSON.parse(await readFile(join(dir, '20260102-030400_demo.json'), 'utf8')));
    expect(snap.meta?.copyOf).toBe('demo.json');
    expect(out.meta?.copyOf).toBeUndefined();
    expect({ ...snap, meta: { ...snap.meta, copyOf: undefined } }).toEqual({ ...out, meta: { ...out.meta, copyOf: undefined } });
    expect(j.runPath).toBe(join(dir, '20260102-030400_demo.json'));
  });

  it('two runs started in the same second get two snapshots, neither overwritten', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'okb-journal-'));
    const at = new Date(2026, 0, 2, 3, 4, 5);
    const a = new OutputJournal({ dir, input: 'demo', runAt: at, write: true }, { A: 1 }, newMeta('demo', 'http://x'));
    const b = new OutputJournal({ dir, input: 'demo', runAt: at, write: true }, { B: 1 }, newMeta('demo', 'http://x'));
    await a.flush();
    await b.flush();
    await a.flush();
    expect((await readdir(dir)).sort()).toEqual(['20260102-030405-2_demo.json', '20260102-030405_demo.json', 'demo.json']);
    expect(JSON.parse(await readFile(a.runPath, 'utf8'))).toMatchObject({ A: 1 });
    expect(JSON.parse(await readFile(b.runPath, 'utf8'))).toMatchObject({ B: 1 });
  });

  it('writes nothing in a dry run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'okb-journal-'));
    const j = new OutputJournal({ dir, input: 'demo', runAt: new Date(), write: false }, {}, newMeta('demo', 'http://x'));
    j.record('K', { state: 'pending', objectClass: 'okta:scope', naturalKey: { name: 's' } });
    await j.flush();
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('ReplayGenerators', () => {
  const base = (start = 0) => {
    let n = start;
    return { tag: () => `tag${n++}`, password: () => `pw${n++}`, firstName: () => `f${n++}`, lastName: () => `l${n++}` };
  };
  it('renders a key the same way twice, and replays what an earlier run recorded', () => {
    const g = new ReplayGenerators(base());
    const a = g.forKey('U');
    const first = [a.firstName(), a.lastName(), a.password()];
    const b = g.forKey('U');
    expect([b.firstName(), b.lastName(), b.password()]).toEqual(first);
    const other = g.forKey('V').firstName();
    expect(other).not.toBe(first[0]);
    const next = new ReplayGenerators(base(100), { U: g.generatedFor('U') });
    const c = next.forKey('U');
    expect([c.firstName(), c.lastName(), c.password()]).toEqual(first);
    // a value the earlier run did not generate is new, and recorded
    expect(c.firstName()).not.toBe(first[0]);
    expect(next.generatedFor('U')).toHaveLength(4);
  });
});
