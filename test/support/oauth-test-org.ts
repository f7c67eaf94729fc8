/**
 * Test support for the OAuth integration tests: creates org objects through the tenant's management API
 * (plain fetch with SSWS, like any Okta client), and runs the headless sign-in (authn → authorize with
 * sessionToken, no redirect following) that `verify` and the local gateway use as well.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { RequestLogEntry, Violation } from '../../src/local-tenant/types.js';

export interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
}

export class Org {
  constructor(
    readonly orgUrl: string,
    private readonly apiToken: string,
  ) {}

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const res = await fetch(`${this.orgUrl}${path}`, {
      method,
      redirect: 'manual',
      headers: { accept: 'application/json', authorization: `SSWS ${this.apiToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, headers: res.headers, body: parsed };
  }

  /** A management call that must succeed; returns the body. */
  async ok<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await this.call(method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as T;
  }

  async group(name: string): Promise<string> {
    return (await this.ok<{ id: string }>('POST', '/api/v1/groups', { profile: { name } })).id;
  }

  async user(login: string, password: string, groupIds: string[] = []): Promise<string> {
    const body = { profile: { login, email: login, firstName: 'Test', lastName: login.split('@')[0] }, credentials: { password: { value: password } }, groupIds };
    return (await this.ok<{ id: string }>('POST', '/api/v1/users?activate=true', body)).id;
  }

  /** A DCR web client; returns client_id and client_secret. */
  async client(name: string, over: Record<string, unknown> = {}): Promise<{ clientId: string; clientSecret: string }> {
    const c = await this.ok<{ client_id: string; client_secret: string }>('POST', '/oauth2/v1/clients', {
      client_name: name,
      application_type: 'web',
      redirect_uris: ['http://localhost:8080/callback'],
      response_types: ['code'],
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      token_endpoint_auth_method: 'client_secret_basic',
      ...over,
    });
    return { clientId: c.client_id, clientSecret: c.client_secret };
  }

  async assign(clientId: string, groupId: string): Promise<void> {
    await this.ok('PUT', `/api/v1/apps/${clientId}/groups/${groupId}`, {});
  }

  async server(name: string, audience: string): Promise<string> {
    return (await this.ok<{ id: string }>('POST', '/api/v1/authorizationServers', { name, description: name, audiences: [audience] })).id;
  }

  async scope(serverId: string, name: string): Promise<void> {
    await this.ok('POST', `/api/v1/authorizationServers/${serverId}/scopes`, { name, description: name });
  }

  async policy(serverId: string, name: string, clients: string[], priority = 1): Promise<string> {
    return (
      await this.ok<{ id: string }>('POST', `/api/v1/authorizationServers/${serverId}/policies`, {
        type: 'OAUTH_AUTHORIZATION_POLICY', status: 'ACTIVE', name, description: name, priority, conditions: { clients: { include: clients } },
      })
    ).id;
  }

  async rule(
    serverId: string,
    policyId: string,
    r: { name: string; priority?: number; groups?: string[]; users?: string[]; grants?: string[]; scopes?: string[]; minutes?: number },
  ): Promise<string> {
    const people: Record<string, unknown> = {};
    if (r.groups) people.groups = { include: r.groups };
    if (r.users) people.users = { include: r.users };
    return (
      await this.ok<{ id: string }>('POST', `/api/v1/authorizationServers/${serverId}/policies/${policyId}/rules`, {
        type: 'RESOURCE_ACCESS',
        name: r.name,
        priority: r.priority ?? 1,
        conditions: { people, grantTypes: { include: r.grants ?? ['authorization_code', 'client_credentials'] }, scopes: { include: r.scopes ?? ['*'] } },
        actions: { token: { accessTokenLifetimeMinutes: r.minutes ?? 60, refreshTokenLifetimeMinutes: 0, refreshTokenWindowMinutes: 10080 } },
      })
    ).id;
  }
}

export const REDIRECT_URI = 'http://localhost:8080/callback';

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** POST /api/v1/authn (no API token) → the sessionToken, or throws with the status. */
export async function sessionTokenFor(orgUrl: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${orgUrl}/api/v1/authn`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ username, password }) });
  const body = (await res.json()) as { sessionToken?: string };
  if (res.status !== 200 || !body.sessionToken) throw new Error(`authn → ${res.status} ${JSON.stringify(body)}`);
  return body.sessionToken;
}

/**
 * The headless authorization-code sign-in: authn, then /authorize with the sessionToken (not following the
 * redirect). Returns the redirect's parameters (`code` and `state`, or `error` and `error_description`).
 */
export async function authorizeWithSession(
  orgUrl: string,
  serverId: string,
  p: { clientId: string; username: string; password: string; scope: string; challenge: string; redirectUri?: string; state?: string },
): Promise<URLSearchParams> {
  const sessionToken = await sessionTokenFor(orgUrl, p.username, p.password);
  const url = new URL(`${orgUrl}/oauth2/${serverId}/v1/authorize`);
  url.search = new URLSearchParams({
    client_id: p.clientId, response_type: 'code', scope: p.scope, redirect_uri: p.redirectUri ?? REDIRECT_URI, state: p.state ?? 'state-1',
    code_challenge: p.challenge, code_challenge_method: 'S256', sessionToken,
  }).toString();
  const res = await fetch(url, { redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`authorize → ${res.status} ${await res.text()}`);
  return new URL(location).searchParams;
}

/** POST a form to an OAuth endpoint with client_secret_basic. */
export async function oauthPost(url: string, form: Record<string, string>, client?: { clientId: string; clientSecret: string }): Promise<Reply> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      ...(client ? { authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64')}` } : {}),
    },
    body: new URLSearchParams(form).toString(),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** The spec violations in a request log (known defects of the spec itself are already left out by the validator:
 *  KNOWN_SPEC_DEFECTS in src/spec/validator.ts). */
export function specViolations(log: RequestLogEntry[]): { request: string; violation: Violation }[] {
  return log.flatMap((e) =>
    (e.violations ?? []).map((violation) => ({ request: `${e.method} ${e.path} ${e.status}`, violation })),
  );
}
