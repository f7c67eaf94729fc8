import { describe, expect, it } from 'vitest';
import { createIntrospectionCache } from './cache.js';

describe('introspection cache', () => {
  it('keeps an active result until the token expires, by the injected clock', () => {
    let now = 1_000_000_000_000;
    const c = createIntrospectionCache({ now: () => now });
    const exp = now / 1000 + 300;
    c.set('t1', { active: true, exp, client_id: 'c' });
    expect(c.get('t1')?.client_id).toBe('c');
    now = (exp - 1) * 1000;
    expect(c.get('t1')).toBeDefined();
    now = exp * 1000;
    expect(c.get('t1')).toBeUndefined();
    expect(c.size()).toBe(0);
  });

  it('does not store already-expired results, honours enabled:false, and drops the oldest beyond maxEntries', () => {
    const now = 2_000_000_000_000;
    const c = createIntrospectionCache({ now: () => now, maxEntries: 2 });
    c.set('old', { active: true, exp: now / 1000 - 1 });
    expect(c.size()).toBe(0);
    c.set('a', { active: true, exp: now / 1000 + 60 });
    c.set('b', { active: true, exp: now / 1000 + 60 });
    c.set('c', { active: true, exp: now / 1000 + 60 });
    expect(c.get('a')).toBeUndefined();
    expect(c.get('b')).toBeDefined();
    expect(c.get('c')).toBeDefined();
    const off = createIntrospectionCache({ now: () => now, enabled: false });
    off.set('a', { active: true, exp: now / 1000 + 60 });
    expect(off.get('a')).toBeUndefined();
  });
});
