/**
 * The gateway's resource → scopes map: the policies an admin applies to the API in Anypoint (one
 * "OpenID Connect OAuth 2.0 Token Enforcement" policy per resource, each with its required scopes).
 * It is configuration, not code: `policies.default.json` next to this file is the default, `--policies FILE`
 * replaces it.
 *
 * Keys are "METHOD /path". Choices where MuleSoft's docs are silent for a local gateway:
 * - METHOD may be `*` (any method); it is compared case-insensitively.
 * - "/planets" covers "/planets" and everything below it ("/planets/earth"), the way a resource-level
 *   policy on a RAML resource covers its nested resources; "/planets/*" is accepted as the same thing.
 * - The most specific key wins (longest path; an exact method beats `*`).
 * - A request that no key covers still needs a valid token from an allowed client, but no scope: the policy
 *   is applied to the whole API, the map only adds scope requirements. Denying by default would make the
 *   upstream's 404s look like 403s.
 * - A resource needs every scope listed (Anypoint's default "Contains all scopes" criterion).
 */
import { fileURLToPath } from 'node:url';
import { readJsonFile } from '../core/fs.js';
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';

export type GatewayPolicies = Record<string, string[]>;

export interface PolicyRule {
  key: string;
  method: string;
  path: string;
  scopes: string[];
}

export interface ScopeRequirement {
  /** The policy key that matched, e.g. "GET /moons"; undefined when no key covers the request. */
  resource?: string;
  scopes: string[];
}

const KEY = /^(\*|[A-Za-z]+)\s+(\/\S*)$/;

const ScopesSchema = z.array(z.string().min(1, 'a scope cannot be empty'), 'expected an array of scope names');

export const DEFAULT_POLICIES_FILE = fileURLToPath(new URL('./policies.default.json', import.meta.url));

function normalizePath(p: string): string {
  let path = p.endsWith('/*') ? p.slice(0, -2) : p;
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return path === '' ? '/' : path;
}

/** Validates a parsed policies document; every problem is listed in one ConfigError. */
export function parsePolicies(json: unknown, source = 'policies'): PolicyRule[] {
  const problems: string[] = [];
  const rules: PolicyRule[] = [];
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    problems.push('expected a JSON object of "METHOD /path": [scopes]');
  } else {
    for (const [key, value] of Object.entries(json)) {
      const m = KEY.exec(key);
      if (!m) problems.push(`"${key}": keys are "METHOD /path", e.g. "GET /planets"`);
      const r = ScopesSchema.safeParse(value);
      if (!r.success) for (const i of r.error.issues) problems.push(`"${key}"${i.path.length ? `[${i.path.join('.')}]` : ''}: ${i.message}`);
      const [, method, path] = m ?? [];
      if (method && path && r.success) rules.push({ key, method: method.toUpperCase(), path: normalizePath(path), scopes: r.data });
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(`${source} is not a valid policies file: ${problems.join('; ')}`, {
      suggestion: 'Write a JSON object such as {"GET /planets": ["http://myapp.com/scp/silver"], "GET /moons": ["http://myapp.com/scp/gold"]}.',
    });
  }
  return rules;
}

/** Reads a policies file (default: policies.default.json of this package). */
export async function loadPolicies(file?: string): Promise<PolicyRule[]> {
  const where = file ?? DEFAULT_POLICIES_FILE;
  const name = file ?? 'policies.default.json';
  const json = await readJsonFile(where, { what: 'policies file', suggestion: 'Check the path given to --policies.' });
  return parsePolicies(json, name);
}

/** Turns rules back into the JSON map (for logs and get-settings-like displays). */
export function policiesToJson(rules: PolicyRule[]): GatewayPolicies {
  return Object.fromEntries(rules.map((r) => [r.key, [...r.scopes]]));
}

function covers(rulePath: string, path: string): boolean {
  if (rulePath === '/') return true;
  return path === rulePath || path.startsWith(rulePath + '/');
}

/** The scopes a request needs: the most specific rule covering method + path (query string ignored). */
export function requiredScopes(rules: PolicyRule[], method: string, rawPath: string): ScopeRequirement {
  const path = normalizePath(rawPath.split('?')[0] || '/');
  const m = method.toUpperCase();
  let best: PolicyRule | undefined;
  for (const r of rules) {
    if (r.method !== '*' && r.method !== m) continue;
    if (!covers(r.path, path)) continue;
    if (
      !best ||
      r.path.length > best.path.length ||
      (r.path.length === best.path.length && best.method === '*' && r.method !== '*')
    ) {
      best = r;
    }
  }
  return best ? { resource: best.key, scopes: best.scopes } : { scopes: [] };
}
