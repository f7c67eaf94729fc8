/**
 * The engine's view of the handlers in src/okta/handlers (contract "Handlers" in docs/internals.md), and the
 * few things the engine needs that the contract leaves open: how a lookup answer is keyed, and the method and
 * path of a create for the plan print.
 */
import type { Handler, HandlerContext } from '../okta/handlers/types.js';
import { canonicalKey } from './lookup.js';

type Obj = Record<string, unknown>;

export type HandlerCtx = HandlerContext;
export type HandlerLike = Handler;

/**
 * Calls findExisting and re-keys its answer with the engine's canonical key. A handler may key its map by
 * its own key string; we match each answer back to the asked key by comparing natural keys.
 */
export async function findByKeys(h: HandlerLike, ctx: HandlerCtx, keys: Record<string, string>[]): Promise<Map<string, Obj>> {
  const found = await h.findExisting(ctx, keys);
  const out = new Map<string, Obj>();
  const wanted = new Map(keys.map((k) => [canonicalKey(k), k]));
  for (const [mapKey, obj] of found) {
    // the handler's own key string, whatever it is, or the natural key recomputed from the object
    if (wanted.has(mapKey)) {
      out.set(mapKey, obj);
      continue;
    }
    for (const [ck, nk] of wanted) {
      if (Object.keys(nk).length === 1 && Object.values(nk)[0] === mapKey) out.set(ck, obj);
      else if (mapKey === JSON.stringify(nk)) out.set(ck, obj);
    }
  }
  return out;
}

/** Where a create goes, for the plan print (the handler does the real request). */
const CREATE_PATH: Record<string, { method: 'POST' | 'PUT'; path: string }> = {
  'okta:authz_server': { method: 'POST', path: '/api/v1/authorizationServers' },
  'okta:scope': { method: 'POST', path: '/api/v1/authorizationServers/{authServerId}/scopes' },
  'okta:claim': { method: 'POST', path: '/api/v1/authorizationServers/{authServerId}/claims' },
  'okta:oauth_policy': { method: 'POST', path: '/api/v1/authorizationServers/{authServerId}/policies' },
  'okta:rule': { method: 'POST', path: '/api/v1/authorizationServers/{authServerId}/policies/{policyId}/rules' },
  'okta:user_group': { method: 'POST', path: '/api/v1/groups' },
  'okta:user': { method: 'POST', path: '/api/v1/users?activate=true' },
  'okta:client': { method: 'POST', path: '/oauth2/v1/clients' },
  'okta:trusted_origin': { method: 'POST', path: '/api/v1/trustedOrigins' },
  'okta:app_group_assignment': { method: 'PUT', path: '/api/v1/apps/{appId}/groups/{groupId}' },
};

export function createRequestOf(objectClass: string, parent: Record<string, string>, endpoint?: string): { method: string; path: string } {
  const d = CREATE_PATH[objectClass] ?? { method: 'POST', path: endpoint ?? '?' };
  const path = endpoint && d.method === 'POST' && !endpoint.includes('{') ? endpoint : d.path.replace(/\{(\w+)\}/g, (m, name: string) => parent[name] ?? m);
  return { method: d.method, path };
}
