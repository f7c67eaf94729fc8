import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serializeOutput, type OutputMeta } from '../core/output-format.js';
import { listRecords } from '../core/records.js';
import { formatAge, formatListing, listingJson } from './ls.js';

const meta = (o: Partial<OutputMeta>): OutputMeta => ({
  version: 1,
  input: 'mulesoft',
  orgUrl: 'http://127.0.0.1:7777',
  status: 'complete',
  startedAt: '2026-12-01T19:50:00.000Z',
  finishedAt: '2026-12-01T19:54:00.000Z',
  dataSources: [],
  objects: {},
  ...o,
});
const obj = (state: 'done' | 'deleted' | 'pending', shared?: boolean) => ({ objectClass: 'okta:user_group', state, naturalKey: {}, at: '', ...(shared ? { shared } : {}) });

describe('ls', () => {
  it('lists current and earlier sets with owned and shared live objects, skips snapshots, shows broken files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'okb-ls-'));
    await writeFile(join(dir, 'mulesoft.json'), serializeOutput({ values: {}, meta: meta({ tag: 'tB', objects: { A: obj('done'), B: obj('pending'), C: obj('deleted'), D: obj('done', true) } }) }));
    await writeFile(join(dir, 'mulesoft.tA.json'), serializeOutput({ values: { TAG: 'tA' }, meta: meta({ retiredAt: '2026-12-01T19:55:00.000Z', status: 'incomplete', objects: { A: obj('done') } }) }));
    await writeFile(join(dir, '20261201-195400_mulesoft.json'), serializeOutput({ values: {}, meta: meta({ copyOf: 'mulesoft.json', objects: { A: obj('done') } }) }));
    await writeFile(join(dir, 'broken.json'), '{"a": ');
    const now = new Date('2026-12-01T20:54:00.000Z');
    const out = listingJson(dir, await listRecords(dir), now);
    expect(out.records.map((r) => [r.tag, r.set, r.state, r.owned, r.shared, r.ageSeconds])).toEqual([
      ['tB', 'current', 'complete', 2, 1, 3600],
      ['tA', 'earlier', 'incomplete', 1, 0, 3600],
    ]);
    expect(out.broken).toHaveLength(1);
    expect(out.broken[0]?.error).toMatch(/not valid JSON/);
    const text = formatListing(dir, out.records, out.broken).split('\n');
    expect(text[0]).toMatch(/^INPUT +TAG +ORG +STATE +SET +OBJECTS +AGE +FILE$/);
    expect(text[1]).toMatch(/^mulesoft +tB +http:\/\/127\.0\.0\.1:7777 +complete +current +2 \(\+1 shared\) +1h +.*mulesoft\.json$/);
    expect(text[2]).toMatch(/^mulesoft +tA +.* +incomplete +earlier +1 +1h +.*mulesoft\.tA\.json$/);
    expect(text[3]).toMatch(/^! .*broken\.json: .*not valid JSON/);
  });

  it('says so for an empty or absent folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'okb-ls-'));
    expect(formatListing(dir, [], [])).toBe(`No records in ${dir}.`);
    expect(listingJson(join(dir, 'none'), await listRecords(join(dir, 'none')), new Date()).records).toEqual([]);
  });

  it('ages read as seconds, minutes, hours, days', () => {
    expect([45, 720, 3 * 3600, 5 * 86400].map(formatAge)).toEqual(['45s', '12m', '3h', '5d']);
  });
});
