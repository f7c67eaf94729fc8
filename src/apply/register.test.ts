import { describe, expect, it } from 'vitest';
import type { RecordedObject } from '../core/output-format.js';
import { INTENT_SKEW_MS, madeBefore } from './create.js';
import { clientKey, freeKey, matchesRegistration, registerRecordFile } from './register.js';

const ISSUED_SKEW_S = INTENT_SKEW_MS / 1000;
const issuedBefore = madeBefore;

const rec = (state: RecordedObject['state'], name = 'Solar System Auth'): RecordedObject => ({ objectClass: 'okta:client', state, naturalKey: { client_name: name }, at: '2026-12-01T10:00:00.000Z' });

describe('register-client record keys', () => {
  it('derives a stable key from the client_name', () => {
    expect(clientKey('Solar System Auth')).toBe('SOLAR_SYSTEM_AUTH');
    expect(clientKey('  my-app (dev) ')).toBe('MY_APP_DEV');
    expect(clientKey('Café')).toBe('CAFE');
    expect(clientKey('***')).toBe('CLIENT');
  });

  it('takes the first free key: KEY, then KEY_2, KEY_3; a deleted or reusable entry frees its key', () => {
    expect(freeKey({}, 'A', () => false)).toBe('A');
    expect(freeKey({ A: rec('done') }, 'A', () => false)).toBe('A_2');
    expect(freeKey({ A: rec('done'), A_2: rec('pending') }, 'A', () => false)).toBe('A_3');
    expect(freeKey({ A: rec('done'), A_2: rec('pending') }, 'A', (k) => k === 'A_2')).toBe('A_2');
    expect(freeKey({ A: rec('deleted') }, 'A', () => false)).toBe('A');
  });

  it('lives in <output-dir>/register-client.json', () => {
    expect(registerRecordFile('output/local')).toBe('output/local/register-client.json');
  });
});

describe('which client a registration made', () => {
  it('matches client_name and the set of redirect URIs, in any order', () => {
    const c = { client_name: 'App', redirect_uris: ['http://b', 'http://a'] };
    expect(matchesRegistration(c, 'App', ['http://a', 'http://b'])).toBe(true);
    expect(matchesRegistration(c, 'App', ['http://a'])).toBe(false);
    expect(matchesRegistration(c, 'App', ['http://a', 'http://b', 'http://c'])).toBe(false);
    expect(matchesRegistration(c, 'app', ['http://a', 'http://b'])).toBe(false);
    expect(matchesRegistration({ client_name: 'App' }, 'App', [])).toBe(true);
  });

  it('a client issued well before an intent existed before it; within the clock skew, or without a time, it may be the one', () => {
    const at = '2026-12-01T10:00:00.000Z';
    const s = Date.parse(at) / 1000;
    expect(issuedBefore({ client_id_issued_at: s - ISSUED_SKEW_S - 1 }, at)).toBe(true);
    expect(issuedBefore({ client_id_issued_at: s - ISSUED_SKEW_S }, at)).toBe(false);
    expect(issuedBefore({ client_id_issued_at: s + 2 }, at)).toBe(false);
    expect(issuedBefore({}, at)).toBe(false);
    expect(issuedBefore({ client_id_issued_at: s - 10_000 }, 'not a time')).toBe(false);
  });
});
