/**
 * The solar-system API's resources and the access level each needs: the one resource → scopes map of the MuleSoft
 * flow. get-settings (the map for Anypoint's policy), verify (the access matrix) and src/gateway/policies.default.json
 * (the local gateway's default, checked against this in a test) all come from here. Light on purpose (no zod): the
 * get-settings --help path loads it.
 */
export type Level = 'silver' | 'gold';

/** Each resource, with the level whose scope it requires. */
export const RESOURCE_LEVELS: Readonly<Record<string, Level>> = { 'GET /planets': 'silver', 'GET /moons': 'gold' };

/** The original reference architecture's scope names, used when a run's own are not known. */
export const DEFAULT_SCOPES: Readonly<Record<Level, string>> = { silver: 'http://myapp.com/scp/silver', gold: 'http://myapp.com/scp/gold' };

/** "METHOD /path" → the scopes it requires, given each level's scope name. */
export function resourceScopes(scopes: Readonly<Record<Level, string>>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(RESOURCE_LEVELS).map(([resource, level]) => [resource, [scopes[level]]]));
}
