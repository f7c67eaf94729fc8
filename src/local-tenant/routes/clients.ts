/**
 * Dynamic client registration, /oauth2/v1/clients (RFC 7591, Okta's oauth spec), authenticated with SSWS as
 * Anypoint does: POST (201), GET list (q, paging), GET one, PUT (200, a full replace: checkFullReplace), DELETE (204),
 * POST {id}/lifecycle/newSecret (200).
 * A registered client is an OIDC app that also appears under /api/v1/apps with the same id (0oa…).
 * 400s are OAuth-style `{error: "invalid_client_metadata", error_description}`; 404 is the Okta error object.
 * client_secret is returned only by create, replace and newSecret, and only for methods that use a secret.
 *
 * Defaults (https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/Client/): application_type web, response_types [code] ([token] for service), grant_types
 * [authorization_code] ([client_credentials] for service), token_endpoint_auth_method client_secret_basic
 * (none for browser, whose clients are public). Grant types per application_type follow the createClient
 * description: web and native must include authorization_code, service must include client_credentials;
 * response types must match the grant types (code ⇒ authorization_code, token/id_token ⇒ implicit);
 * redirect_uris are required for authorization_code and implicit, absolute and without a fragment.
 * Fields outside the Client schema (e.g. `client_uri`, which Anypoint sends) are accepted; client_uri is kept
 * on the app (settings.oauthClient.client_uri) and echoed by DCR as the spec's examples do (renderClient).
 */
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context.js';
import { notFound, oauthError } from '../errors.js';
import { newClientSecret, newId, nowIso } from '../ids.js';
import { paginate, queryString } from '../query.js';
import type { AppRecord, JsonObject, JsonValue, TenantState } from '../types.js';
import { bodyObject, isStringArray, jsonCopy, params, shown } from './util.js';
import { byId } from '../store.js';

export const APPLICATION_TYPES = ['web', 'native', 'browser', 'service'] as const;
export const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none'] as const;
const RESPONSE_TYPES = ['code', 'token', 'id_token', 'none'];
const ALLOWED_GRANTS: Record<AppRecord['applicationType'], string[]> = {
  web: ['authorization_code', 'implicit', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:token-exchange', 'urn:ietf:params:oauth:grant-type:saml2-bearer', 'urn:ietf:params:oauth:grant-type:jwt-bearer', 'interaction_code'],
  native: ['authorization_code', 'implicit', 'password', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code', 'urn:ietf:params:oauth:grant-type:token-exchange', 'urn:ietf:params:oauth:grant-type:saml2-bearer', 'urn:ietf:params:oauth:grant-type:jwt-bearer', 'interaction_code', 'urn:okta:params:oauth:grant-type:otp', 'urn:okta:params:oauth:grant-type:oob'],
  browser: ['authorization_code', 'implicit', 'refresh_token', 'interaction_code'],
  service: ['client_credentials', 'urn:ietf:params:oauth:grant-type:token-exchange', 'urn:ietf:params:oauth:grant-type:saml2-bearer', 'urn:ietf:params:oauth:grant-type:jwt-bearer'],
};
const REQUIRED_GRANT: Partial<Record<AppRecord['applicationType'], string>> = { web: 'authorization_code', native: 'authorization_code', service: 'client_credentials' };
/** Optional RFC 7591 metadata the Client schema declares; kept and echoed as sent. */
const ECHOED = ['logo_uri', 'policy_uri', 'tos_uri', 'initiate_login_uri', 'jwks_uri', 'jwks', 'request_object_signing_alg', 'id_token_encrypted_response_alg', 'frontchannel_logout_uri', 'frontchannel_logout_session_required'] as const;

/** Okta's DCR wording: "`client_name`: The field can't be left blank." */
const bad = (field: string, msg: string) => oauthError(400, 'invalid_client_metadata', `\`${field}\`: ${msg}`);

export function usesSecret(method: string): boolean {
  return method === 'client_secret_basic' || method === 'client_secret_post' || method === 'client_secret_jwt';
}

function absoluteUri(u: string): boolean {
  try {
    const url = new URL(u);
    return url.hash === '' && !u.includes('#');
  } catch {
    return false;
  }
}

type ClientFields = Pick<AppRecord, 'label' | 'applicationType' | 'redirectUris' | 'responseTypes' | 'grantTypes' | 'tokenEndpointAuthMethod' | 'metadata' | 'postLogoutRedirectUris'>;

/** Validates a DCR body; throws the first problem as invalid_client_metadata (Okta reports one at a time). */
export function validateClient(body: Record<string, unknown>): ClientFields {
  const name = body.client_name;
  if (name === undefined || name === null || (typeof name === 'string' && name.trim() === '')) throw bad('client_name', "The field can't be left blank.");
  if (typeof name !== 'string') throw bad('client_name', "The field must be a string.");
  const type = body.application_type ?? 'web';
  if (typeof type !== 'string' || !(APPLICATION_TYPES as readonly string[]).includes(type)) {
    throw bad('application_type', `'${shown(type)}' is not a valid value. Valid values: ${APPLICATION_TYPES.join(', ')}.`);
  }
  const appType = type as AppRecord['applicationType'];
  const listOf = (key: string, dflt: string[]): string[] => {
    const v = body[key];
    if (v === undefined || v === null) return dflt;
    if (!isStringArray(v)) throw bad(key, 'The field must be an array of strings.');
    return [...new Set(v)];
  };
  const grants = listOf('grant_types', appType === 'service' ? ['client_credentials'] : ['authorization_code']);
  if (grants.length === 0) throw bad('grant_types', "The field can't be left blank.");
  for (const g of grants) {
    if (!ALLOWED_GRANTS[appType].includes(g)) throw bad('grant_types', `'${g}' is not a valid grant type for application_type '${appType}'.`);
  }
  const required = REQUIRED_GRANT[appType];
  // Okta's wording (its answer to a web client registered without authorization_code); the same form for the
  // other application types' required grant.
  if (required && !grants.includes(required)) throw oauthError(400, 'invalid_client_metadata', `'grant_types' must contain '${required}' when 'application_type' is '${appType}'.`);
  const responses = listOf('response_types', appType === 'service' ? ['token'] : ['code']);
  for (const r of responses) if (!RESPONSE_TYPES.includes(r)) throw bad('response_types', `'${r}' is not a valid response type.`);
  if (appType !== 'service') {
    if (responses.includes('code') && !grants.includes('authorization_code')) throw bad('response_types', "The 'code' response type needs the authorization_code grant type.");
    if ((responses.includes('token') || responses.includes('id_token')) && !grants.includes('implicit')) {
      throw bad('response_types', "The 'token' and 'id_token' response types need the implicit grant type.");
    }
  }
  const redirects = listOf('redirect_uris', []);
  if ((grants.includes('authorization_code') || grants.includes('implicit')) && redirects.length === 0) throw bad('redirect_uris', "The field can't be left blank.");
  for (const u of redirects) if (!absoluteUri(u)) throw bad('redirect_uris', `'${u}' is not an absolute URI without a fragment.`);
  const method = body.token_endpoint_auth_method ?? (appType === 'browser' ? 'none' : 'client_secret_basic');
  if (typeof method !== 'string' || !(AUTH_METHODS as readonly string[]).includes(method)) {
    throw bad('token_endpoint_auth_method', `'${shown(method)}' is not a valid value. Valid values: ${AUTH_METHODS.join(', ')}.`);
  }
  if (appType === 'browser' && method !== 'none') throw bad('token_endpoint_auth_method', "Browser clients are public: use 'none'.");
  if (appType === 'service' && method === 'none') throw bad('token_endpoint_auth_method', "Service clients must authenticate: 'none' is not allowed.");
  if (method === 'private_key_jwt' && body.jwks === undefined && body.jwks_uri === undefined) throw bad('jwks', "Either 'jwks' or 'jwks_uri' is required for private_key_jwt.");
  const metadata: JsonObject = {};
  for (const k of ECHOED) if (body[k] !== undefined && body[k] !== null) metadata[k] = jsonCopy(body[k] as JsonValue);
  if (typeof body.client_uri === 'string') metadata.client_uri = body.client_uri;
  return {
    label: name,
    applicationType: appType,
    redirectUris: redirects,
    responseTypes: responses,
    grantTypes: grants,
    tokenEndpointAuthMethod: method,
    metadata,
    ...(body.post_logout_redirect_uris !== undefined && body.post_logout_redirect_uris !== null
      ? { postLogoutRedirectUris: jsonCopy(body.post_logout_redirect_uris as JsonValue) }
      : {}),
  };
}

export function renderClient(a: AppRecord, withSecret: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    client_id: a.id,
    client_id_issued_at: a.clientIdIssuedAt,
    client_name: a.label,
    application_type: a.applicationType,
    redirect_uris: a.redirectUris,
    response_types: a.responseTypes,
    grant_types: a.grantTypes,
    token_endpoint_auth_method: a.tokenEndpointAuthMethod,
  };
  if (withSecret && a.clientSecret) {
    out.client_secret = a.clientSecret;
    out.client_secret_expires_at = 0;
  }
  for (const k of ECHOED) if (a.metadata[k] !== undefined) out[k] = a.metadata[k];
  // As the spec's examples answer: `client_uri` always (null when the client has none; the Client schema omits
  // it, a known spec defect), and `frontchannel_logout_session_required` always (choice: false when never set).
  out.client_uri = typeof a.metadata.client_uri === 'string' ? a.metadata.client_uri : null;
  out.frontchannel_logout_session_required = a.metadata.frontchannel_logout_session_required === true;
  if (a.postLogoutRedirectUris !== undefined) out.post_logout_redirect_uris = a.postLogoutRedirectUris;
  return out;
}

/**
 * replaceClient (PUT /oauth2/v1/clients/{clientId}) is a full replace: "You must specify all settings when you
 * update a client app. Partial updates aren't supported. If any settings are missing when you update a client app,
 * the update fails. The exceptions are that you can't include `client_secret_expires_at` or `client_id_issued_at`
 * in the request, and you can omit the `client_secret`." Its request example carries `client_id`, which RFC 7592
 * §2.2 requires ("The client MUST include its client_id field in the request, and it MUST be the same as its
 * currently issued client identifier"). The spec answers ErrorInvalidClientMetadata400 and gives no text; the
 * choice here is DCR's own form for a missing field, "`<field>`: The field can't be left blank.", one at a time
 * as DCR reports, in the order the client renders its settings.
 */
function checkFullReplace(a: AppRecord, id: string, body: Record<string, unknown>): void {
  for (const k of ['client_id_issued_at', 'client_secret_expires_at']) {
    if (body[k] !== undefined) throw bad(k, 'The field cannot be set in a replace request.');
  }
  const clientId = body.client_id;
  if (clientId === undefined || clientId === null || clientId === '') throw bad('client_id', "The field can't be left blank.");
  if (clientId !== id) throw bad('client_id', 'The field must be the client_id of the client being replaced.');
  // every setting the client has (a null one, such as a client_uri never given, it does not have)
  for (const [k, v] of Object.entries(renderClient(a, false))) {
    if (k === 'client_id_issued_at' || k === 'client_secret_expires_at' || v === null) continue;
    if (body[k] === undefined || body[k] === null) throw bad(k, "The field can't be left blank.");
  }
}

function getClient(state: TenantState, id: string): AppRecord {
  const a = byId(state.apps, id);
  if (!a) throw notFound(id, 'Client');
  return a;
}

export function registerClientRoutes(app: FastifyInstance, ctx: TenantContext): void {
  const base = '/oauth2/v1/clients';

  app.post(base, async (req, reply) => {
    const f = validateClient(bodyObject(req));
    const rec = await ctx.store.mutate((state) => {
      const now = nowIso(ctx.now());
      const a: AppRecord = {
        id: newId('0oa'),
        status: 'ACTIVE',
        ...f,
        ...(usesSecret(f.tokenEndpointAuthMethod) ? { clientSecret: newClientSecret() } : {}),
        clientIdIssuedAt: Math.floor(ctx.now() / 1000),
        groupAssignments: {},
        created: now,
        lastUpdated: now,
      };
      state.apps[a.id] = a;
      return a;
    });
    reply.code(201);
    return renderClient(rec, true);
  });

  app.get(base, async (req, reply) => {
    const q = queryString(req, 'q')?.toLowerCase();
    let items = Object.values(ctx.store.read().apps);
    if (q) items = items.filter((a) => a.label.toLowerCase().startsWith(q));
    const page = paginate(req, reply, ctx.orgUrl, items, (a) => a.id, { defaultLimit: 20, maxLimit: 200 });
    return page.map((a) => renderClient(a, false));
  });

  app.get(`${base}/:clientId`, (req) => renderClient(getClient(ctx.store.read(), params(req).clientId!), false));

  app.put(`${base}/:clientId`, async (req) => {
    const body = bodyObject(req);
    const id = params(req).clientId ?? '';
    checkFullReplace(getClient(ctx.store.read(), id), id, body);
    const f = validateClient(body);
    const rec = await ctx.store.mutate((state) => {
      const a = getClient(state, id);
      checkFullReplace(a, id, body);
      const { postLogoutRedirectUris, ...rest } = f;
      Object.assign(a, rest, { lastUpdated: nowIso(ctx.now()) });
      if (postLogoutRedirectUris !== undefined) a.postLogoutRedirectUris = postLogoutRedirectUris;
      else delete a.postLogoutRedirectUris;
      if (!usesSecret(a.tokenEndpointAuthMethod)) delete a.clientSecret;
      else a.clientSecret ??= newClientSecret();
      return a;
    });
    return renderClient(rec, true);
  });

  app.delete(`${base}/:clientId`, async (req, reply) => {
    const id = params(req).clientId!;
    await ctx.store.mutate((state) => {
      getClient(state, id);
      delete state.apps[id];
    });
    return reply.code(204).send();
  });

  app.post(`${base}/:clientId/lifecycle/newSecret`, async (req) => {
    const id = params(req).clientId!;
    const rec = await ctx.store.mutate((state) => {
      const a = getClient(state, id);
      if (usesSecret(a.tokenEndpointAuthMethod)) Object.assign(a, { clientSecret: newClientSecret(), lastUpdated: nowIso(ctx.now()) });
      return a;
    });
    return renderClient(rec, true);
  });
}
