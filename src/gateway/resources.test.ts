import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCOPES, resourceScopes } from './resources.js';

describe('the one resource → scopes map', () => {
  it('gives each resource its level\'s scope', () => {
    expect(resourceScopes({ silver: 's', gold: 'g' })).toEqual({ 'GET /planets': ['s'], 'GET /moons': ['g'] });
  });

  it('is what policies.default.json holds, with the default scope names', () => {
    const file: unknown = JSON.parse(readFileSync(new URL('./policies.default.json', import.meta.url), 'utf8'));
    expect(file).toEqual(resourceScopes(DEFAULT_SCOPES));
  });
});
