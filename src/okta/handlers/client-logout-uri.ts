/**
 * okta:client_logout_uri — one URI in the `post_logout_redirect_uris` of an OAuth client that already exists and
 * that this entry does not own (typically the client MuleSoft Anypoint registered for the app, AUTHN_CLIENT_ID).
 * Body: `{"client_id": "...", "uri": "..."}`.
 *
 * Why a class of its own: Okta's logout (`/oauth2/{id}/v1/logout`) redirects only to a URI registered for the client
 * in `post_logout_redirect_uris` (https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/CustomAS/#tag/CustomAS/operation/logoutCustomAS),
 * and Anypoint's registration sends none. The client is Anypoint's, so an `okta:client` entry would claim (and a
 * destroy would delete) the whole client; this entry claims only the one URI it adds. It is named for that one list
 * rather than for "a URI in any list of a client": the logout redirect is the only list the setup needs to add to,
 * and a class that could also rewrite a foreign client's sign-in `redirect_uris` would let an input change what
 * Anypoint relies on.
 *
 * - Natural key: {client_id, uri}; the parent is the client ({clientId}), so one read of a client serves every
 *   entry on it. The object the engine records is `{id: uri, client_id, uri, post_logout_redirect_uris}`, read
 *   from the client.
 * - Found = the client lists the URI already; one this record did not add is shared (used, not owned: `shareable`),
 *   so a destroy removes only a URI this entry added. A client that does not exist is a ConfigError naming it, with what
 *   to do (register it first, or fix AUTHN_CLIENT_ID): nothing can be added to it.
 * - Create: `GET /oauth2/v1/clients/{client_id}`, then `PUT` of the whole client with the URI appended: replaceClient
 *   is a full replace, "You must specify all settings when you update a client app"
 *   (https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/Client/#tag/Client/operation/replaceClient);
 *   the secret is left out and kept.
 * - Delete removes only that URI again, with the same GET and full PUT; the client is never deleted. A client or
 *   URI already gone is 'gone'.
 * - Nothing to update: the URI is in the list or it is not (diff is always empty).
 * - Okta's docs are silent on concurrent replaces of one client; two entries on the same client are applied one
 *   after the other here (a queue per client), so neither PUT drops the other's URI.
 */
import { ConfigError } from '../../core/errors.js';
import type { OktaApi } from '../client.js';
import { isAbsoluteWithoutFragment, replaceClientBody } from './client.js';
import { isNotFound, keyOf, need, outcomeOf, str } from './common.js';
import type { BodyProblem, CreateRequest, Handler, HandlerContext, Obj } from './types.js';

const CLASS = 'okta:client_logout_uri';
const DCR = '/oauth2/v1/clients';
const LIST = 'post_logout_redirect_uris';
/** What an Okta client_id is made of (letters, digits, `_` and `-`); anything else is not one to read. */
const CLIENT_ID = /^[\w-]+$/;
const EXAMPLE = '{"client_id": "{{AUTHN_CLIENT_ID}}", "uri": "{{REDIRECT_URI}}"}';

function field(body: Obj, name: 'client_id' | 'uri'): string {
  const v = str(body[name]);
  if (v === undefined) throw new ConfigError(`${CLASS} needs "${name}" in its body`, { object: CLASS, suggestion: `Give ${EXAMPLE}.` });
  return v;
}

function clientIdOf(ctx: HandlerContext): string {
  return decodeURIComponent(need(ctx.parent, 'clientId', CLASS, EXAMPLE));
}

function urisOf(client: Obj): string[] {
  const list = client[LIST];
  return Array.isArray(list) ? list.filter((u): u is string => typeof u === 'string') : [];
}

/** The recorded object: the URI as a member of the client's list. */
function view(client: Obj, uri: string): Obj {
  return { id: uri, client_id: client.client_id, uri, [LIST]: urisOf(client) };
}

const clientPath = (clientId: string) => `${DCR}/${encodeURIComponent(clientId)}`;

/** The client, or undefined when Okta has none by that id. */
async function readClient(api: OktaApi, clientId: string): Promise<Obj | undefined> {
  try {
    return (await api.request<Obj>('GET', clientPath(clientId))).body;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

async function existingClient(api: OktaApi, clientId: string): Promise<Obj> {
  const client = await readClient(api, clientId);
  if (!client) {
    throw new ConfigError(`client ${clientId} does not exist in this org, so no logout redirect URI can be added to it`, {
      object: CLASS,
      request: `GET ${clientPath(clientId)}`,
      suggestion:
        'Register the app\'s client first (Anypoint\'s client registration, or "okta-bootstrap register-client --write-env"), then set AUTHN_CLIENT_ID to its client_id and run again.',
    });
  }
  return client;
}

/** The full replace that gives `client` this list of logout redirect URIs. */
function replaceRequest(client: Obj, uris: string[]): CreateRequest {
  return { method: 'PUT', path: clientPath(String(client.client_id)), body: replaceClientBody(client, { [LIST]: uris }) };
}

/** One read-modify-write at a time per client and org (a full replace would drop a URI another entry just added). */
const queues = new WeakMap<OktaApi, Map<string, Promise<unknown>>>();
function serially<T>(api: OktaApi, clientId: string, fn: () => Promise<T>): Promise<T> {
  let perApi = queues.get(api);
  if (!perApi) queues.set(api, (perApi = new Map<string, Promise<unknown>>()));
  const run = (perApi.get(clientId) ?? Promise.resolve()).then(fn, fn);
  perApi.set(clientId, run.catch(() => undefined));
  return run;
}

export const clientLogoutUriHandler: Handler = {
  objectClass: CLASS,
  // with the app's other attachments (group assignments), before clients: the URI hangs from its client
  destroyRank: 4,
  // A URI the client lists already (register-client registers REDIRECT_URI as such, or a person added it in the
  // Admin Console) is used, not owned: this record's destroy leaves it. Its key {client_id, uri} carries no TAG.
  shareable: { ignoredFields: [] },
  check(body): BodyProblem[] {
    const uri = body.uri;
    if (uri === undefined || isAbsoluteWithoutFragment(uri)) return [];
    return [{
      path: 'uri',
      message: `${JSON.stringify(uri)} is not an absolute URI without a fragment; Okta refuses it in ${LIST} (invalid_client_metadata)`,
      suggestion: 'Give a full URI with scheme and host, e.g. http://localhost:8080 (check the value it comes from, such as REDIRECT_URI).',
    }];
  },
  naturalKey(body) {
    return { client_id: field(body, 'client_id'), uri: field(body, 'uri') };
  },
  parentOf(body): Record<string, string> {
    const clientId = str(body.client_id);
    return clientId ? { clientId } : {};
  },
  async findExisting(ctx, keys) {
    const client = await existingClient(ctx.api, clientIdOf(ctx));
    const have = urisOf(client);
    const out = new Map<string, Obj>();
    for (const k of keys) if (k.uri !== undefined && have.includes(k.uri)) out.set(keyOf(k), view(client, k.uri));
    return out;
  },
  async read(ctx, id) {
    const client = await readClient(ctx.api, clientIdOf(ctx));
    return client && urisOf(client).includes(id) ? view(client, id) : undefined;
  },
  async createRequest(ctx, body) {
    const clientId = clientIdOf(ctx);
    const uri = field(body, 'uri');
    // a client_id that cannot be one (a value not known yet while planning) is not read: the plan shows the PUT
    if (!CLIENT_ID.test(clientId)) return { method: 'PUT', path: clientPath(clientId), body: { [LIST]: [uri] }, partial: true };
    const client = await existingClient(ctx.api, clientId);
    const have = urisOf(client);
    return replaceRequest(client, have.includes(uri) ? have : [...have, uri]);
  },
  async create(ctx, body) {
    const clientId = clientIdOf(ctx);
    return serially(ctx.api, clientId, async () => {
      const req = await this.createRequest(ctx, body);
      const res = await ctx.api.request<Obj>(req.method, req.path, { ...(req.body ? { body: req.body } : {}) });
      return view(res.body, field(body, 'uri'));
    });
  },
  async delete(ctx, obj) {
    const clientId = clientIdOf(ctx);
    return serially(ctx.api, clientId, async () => {
      const client = await readClient(ctx.api, clientId);
      const have = client ? urisOf(client) : [];
      if (!client || !have.includes(obj.id)) return outcomeOf(false);
      const req = replaceRequest(client, have.filter((u) => u !== obj.id));
      try {
        await ctx.api.request(req.method, req.path, { ...(req.body ? { body: req.body } : {}) });
      } catch (e) {
        if (isNotFound(e)) return outcomeOf(false);
        throw e;
      }
      return outcomeOf(true);
    });
  },
  diff() {
    return [];
  },
  idOf(obj) {
    return String(obj.id);
  },
};
