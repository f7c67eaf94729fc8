import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { loadPolicies, parsePolicies, policiesToJson, requiredScopes } from './policies.js';

const SILVER = 'http://myapp.com/scp/silver';
const GOLD = 'http://myapp.com/scp/gold';

describe('gateway policies', () => {
  it('the default file maps GET /planets to silver and GET /moons to gold', async () => {
    const rules = await loadPolicies();
    expect(policiesToJson(rules)).toEqual({ 'GET /planets': [SILVER], 'GET /moons': [GOLD] });
    expect(requiredScopes(rules, 'GET', '/planets')).toEqual({ resource: 'GET /planets', scopes: [SILVER] });
    expect(requiredScopes(rules, 'get', '/moons?planet=Mars')).toEqual({ resource: 'GET /moons', scopes: [GOLD] });
  });

  it('a resource covers its sub-paths but not look-alike siblings', () => {
    const rules = parsePolicies({ 'GET /planets': [SILVER] });
    expect(requiredScopes(rules, 'GET', '/planets/earth').scopes).toEqual([SILVER]);
    expect(requiredScopes(rules, 'GET', '/planets/').scopes).toEqual([SILVER]);
    expect(requiredScopes(rules, 'GET', '/planetsX').scopes).toEqual([]);
    expect(requiredScopes(rules, 'POST', '/planets')).toEqual({ scopes: [] });
  });

  it('the most specific key wins: longer path, then an exact method over *', () => {
    const rules = parsePolicies({ '* /': ['base'], '* /moons': ['any-moons'], 'GET /moons': ['get-moons'], 'GET /moons/titan/*': ['titan'] });
    expect(requiredScopes(rules, 'GET', '/moons').scopes).toEqual(['get-moons']);
    expect(requiredScopes(rules, 'DELETE', '/moons').scopes).toEqual(['any-moons']);
    expect(requiredScopes(rules, 'GET', '/moons/titan').scopes).toEqual(['titan']);
    expect(requiredScopes(rules, 'GET', '/elsewhere').scopes).toEqual(['base']);
  });

  it('rejects malformed files with every problem in one error', () => {
    let err: unknown;
    try {
      parsePolicies({ 'planets': ['x'], 'GET /moons': 'gold', 'GET /x': [''] }, 'my.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain('my.json');
    expect(msg).toContain('METHOD /path');
    expect(msg).toContain('GET /moons');
    expect(msg).toContain('empty');
    expect(() => parsePolicies([])).toThrow(ConfigError);
  });

  it('--policies FILE replaces the default; a missing or non-JSON file is a ConfigError', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'okb-pol-'));
    const f = join(dir, 'p.json');
    await writeFile(f, JSON.stringify({ 'GET /planets': [GOLD] }));
    expect(policiesToJson(await loadPolicies(f))).toEqual({ 'GET /planets': [GOLD] });
    await writeFile(f, '{nope');
    await expect(loadPolicies(f)).rejects.toThrow(/policies file .*p\.json is not valid JSON \(line 1, column 2\)/);
    await expect(loadPolicies(join(dir, 'missing.json'))).rejects.toThrow(ConfigError);
  });
});
