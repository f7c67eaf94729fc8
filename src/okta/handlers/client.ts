/**
 * okta:client — an OAuth client registered with dynamic client registration, `POST /oauth2/v1/clients` (SSWS),
 * as MuleSoft Anypoint does. The id field is `client_id` (idOf; an entry's IDfieldName is ignored); Okta uses the app id as
 * the client_id, so the app endpoints (`/api/v1/apps/{client_id}`) apply too.
 *
 * - Natural key: `client_name` (= the app's label). A recorded client is found again by `{client_id}` (recordedKey): one or two ids are a `GET /oauth2/v1/clients/{client_id}` each. One name → `GET /oauth2/v1/clients?q=<name>`
 *   (a prefix search, so the exact name is checked here); anything more → the whole paged DCR list, once.
 * - Create registers the client, then assigns `ctx.groups` (the entry's `groups`; ids or "Everyone") with
 *   `PUT /api/v1/apps/{client_id}/groups/{gid}`. The response of the POST holds the only copy of the client secret
 *   Okta will ever return: if an assignment then fails, the error carries the registered client as `created`
 *   (record it), and a re-run adopts the client and assigns the groups through `ensure`.
 * - Update: `PUT /oauth2/v1/clients/{client_id}` with the whole client: its `client_id` and every setting it has (the
 *   org's, then the input's fields). replaceClient is a full replace: "You must specify all settings when you update
 *   a client app... If any settings are missing when you update a client app, the update fails", and its request
 *   example carries `client_id` (RFC 7592 §2.2); `client_id_issued_at` and `client_secret_expires_at` may not be
 *   sent, `client_secret` may be left out (https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/Client/#tag/Client/operation/replaceClient).
 *   The secret is not rotated; a re-run cannot read it back (Okta never returns it again), so keep the recorded one.
 * - Delete: deactivate the app, then `DELETE /api/v1/apps/{client_id}`; 404 = already gone.
 * - The secret is carried over from the output file (carriedField). A client of ours whose secret nobody holds (its
 *   create committed but the answer was lost) gets a new one (repair): `POST /oauth2/v1/clients/{client_id}/lifecycle/newSecret`
 *   (https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/Client/#tag/Client/operation/generateNewClientSecret).
 *   Clients without a secret (token_endpoint_auth_method none or private_key_jwt) need no repair.
 */
import { BootstrapError, OktaApiError } from '../../core/errors.js';
import { ensureAppGroups, assignGroup } from './app-group-assignment.js';
import { diffBody, isNotFound, keyOf, pick, outcomeOf, send, unlessGone, keyAt, readAt } from './common.js';
import type { BodyProblem, FieldDiff, Handler, Obj } from './types.js';

/** An absolute URI without a fragment: what Okta's DCR requires of every redirect URI (RFC 7591 §2, OIDC DCR §2). */
export function isAbsoluteWithoutFragment(u: unknown): boolean {
  if (typeof u !== 'string' || !URL.canParse(u)) return false;
  return !u.includes('#');
}

/** Redirect URIs Okta would refuse, and a flow that needs them without any (400 invalid_client_metadata). */
function checkClientBody(body: Obj): BodyProblem[] {
  const problems: BodyProblem[] = [];
  for (const field of ['redirect_uris', 'post_logout_redirect_uris'] as const) {
    const list = body[field];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      problems.push({ path: field, message: `"${field}" must be an array of URIs`, suggestion: `Write "${field}": ["https://app.example.com/callback"].` });
      continue;
    }
    list.forEach((u, i) => {
      if (!isAbsoluteWithoutFragment(u)) {
        problems.push({
          path: `${field}.${i}`,
          message: `${JSON.stringify(u)} is not an absolute URI without a fragment; Okta refuses it (invalid_client_metadata)`,
          suggestion: 'Give a full URI with scheme and host, e.g. http://localhost:8080 (check the value it comes from, such as REDIRECT_URI or PORT).',
        });
      }
    });
  }
  const grants = Array.isArray(body.grant_types) ? body.grant_types : [];
  const redirects = Array.isArray(body.redirect_uris) ? body.redirect_uris : [];
  const needsRedirect = grants.filter((g) => g === 'authorization_code' || g === 'implicit');
  if (needsRedirect.length > 0 && redirects.length === 0) {
    problems.push({
      path: 'redirect_uris',
      message: `grant type ${needsRedirect.join(' and ')} needs at least one redirect URI`,
      suggestion: 'Add "redirect_uris": ["{{REDIRECT_URI}}"], or drop those grant types.',
    });
  }
  return problems;
}

const DCR = '/oauth2/v1/clients';
const METADATA = [
  'client_name', 'application_type', 'redirect_uris', 'post_logout_redirect_uris', 'response_types', 'grant_types',
  'token_endpoint_auth_method', 'initiate_login_uri', 'logo_uri', 'policy_uri', 'tos_uri', 'jwks', 'jwks_uri',
  'request_object_signing_alg', 'id_token_encrypted_response_alg', 'frontchannel_logout_uri', 'frontchannel_logout_session_required',
  'client_uri',
] as const;
/**
 * The body of a full replace of `existing` (replaceClient): its `client_id` and every setting it has, with `changes`
 * on top. Okta-issued values (`client_id_issued_at`, `client_secret_expires_at`) are never sent, and the secret is
 * left out, which keeps it (https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/Client/#tag/Client/operation/replaceClient).
 */
export function replaceClientBody(existing: Obj, changes: Obj): Obj {
  const { client_id: _id, client_secret: _secret, client_id_issued_at: _issued, client_secret_expires_at: _expires, ...wanted } = changes;
  return { ...pick(existing, METADATA), ...wanted, client_id: existing.client_id };
}

/** Okta-issued or write-once values. */
const IGNORE = ['client_id', 'client_secret', 'client_id_issued_at', 'client_secret_expires_at'];

/** A create whose registration succeeded but whose follow-up failed; `created` is the registered client. */
export class PartialCreateError extends OktaApiError {
  readonly created: Obj;
  constructor(cause: unknown, created: Obj) {
    const d = cause instanceof BootstrapError ? cause.details : {};
    super(`client ${String(created.client_id)} was registered, but assigning its groups failed: ${cause instanceof Error ? cause.message : String(cause)}`, {
      ...d,
      cause,
      suggestion: 'Run again: the client is adopted (its secret is in the output file) and the groups are assigned.',
    });
    this.created = created;
  }
}

export const clientHandler: Handler = {
  objectClass: 'okta:client',
  destroyRank: 5,
  carriedField: 'client_secret',
  check: checkClientBody,
  naturalKey(body) {
    return keyAt('okta:client', body, 'client_name');
  },
  parentOf() {
    return {};
  },
  async findExisting(ctx, keys) {
    const out = new Map<string, Obj>();
    const byId = keys.filter((k) => k.client_id !== undefined);
    const byName = keys.filter((k) => k.client_id === undefined);
    const matchesId = (k: Record<string, string>, c: Obj) => c.client_id === k.client_id && (k.client_name === undefined || c.client_name === k.client_name);
    // One or two ids: a GET each. More ids, or any name: one paged listing covers them all (`q` when it is one name).
    const single = byName.length === 0 && byId.length <= 2;
    if (single) {
      for (const k of byId) {
        try {
          const c = (await ctx.api.request<Obj>('GET', `${DCR}/${encodeURIComponent(k.client_id ?? '')}`)).body;
          if (matchesId(k, c)) out.set(keyOf(k), c);
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }
      return out;
    }
    const query: Record<string, string | number> = { limit: 200 };
    if (byId.length === 0 && byName.length === 1 && byName[0]?.client_name) query.q = byName[0].client_name;
    const all = await ctx.api.list<Obj>(DCR, query);
    for (const k of byId) {
      const hit = all.find((c) => matchesId(k, c));
      if (hit) out.set(keyOf(k), hit);
    }
    for (const k of byName) {
      const hit = all.find((c) => c.client_name === k.client_name);
      if (hit) out.set(keyOf(k), hit);
    }
    return out;
  },
  createRequest(_ctx, body) {
    return Promise.resolve({ method: 'POST', path: DCR, body });
  },
  async create(ctx, body) {
    const created = await send(ctx, await this.createRequest(ctx, body));
    try {
      for (const g of ctx.groups ?? []) await assignGroup(ctx.api, String(created.client_id), g);
    } catch (e) {
      throw new PartialCreateError(e, created);
    }
    return created;
  },
  async update(ctx, existing, body) {
    return (await ctx.api.request<Obj>('PUT', `${DCR}/${encodeURIComponent(String(existing.client_id))}`, { body: replaceClientBody(existing, body) })).body;
  },
  async delete(ctx, obj) {
    const app = `/api/v1/apps/${encodeURIComponent(obj.id)}`;
    await unlessGone(() => ctx.api.request('POST', `${app}/lifecycle/deactivate`, { idempotent: true }));
    return outcomeOf(await unlessGone(() => ctx.api.request('DELETE', app)));
  },
  read(ctx, id) {
    return readAt(ctx.api, `${DCR}/${encodeURIComponent(id)}`);
  },
  diff(existing, body) {
    return diffBody(existing, body, IGNORE);
  },
  idOf(obj) {
    return String(obj.client_id);
  },
  async ensure(ctx, obj): Promise<FieldDiff[]> {
    return ensureAppGroups(ctx.api, String(obj.client_id), ctx.groups ?? []);
  },
  recordedKey(id) {
    return { client_id: id };
  },
  async repair(ctx, obj) {
    if (typeof obj.client_secret === 'string') return obj;
    if (obj.token_endpoint_auth_method === 'none' || obj.token_endpoint_auth_method === 'private_key_jwt') return obj;
    const path = `${DCR}/${encodeURIComponent(String(obj.client_id))}/lifecycle/newSecret`;
    return (await ctx.api.request<Obj>('POST', path, { idempotent: true })).body;
  },
};
