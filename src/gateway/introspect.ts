/**
 * Token introspection (RFC 7662) the way Anypoint's OpenID Connect policy calls it: POST the token to
 * TOKEN_INTROSPECTION_URL with the introspection client's id and secret (HTTP Basic, RFC 6749 §2.3.1
 * form-encoding inside). Used by the gateway on every uncached request and by `verify` (checks 2 and 4).
 * Plain fetch: these are OAuth endpoints, not management calls, so no API token and no SDK.
 */

export interface IntrospectionResponse {
  active: boolean;
  scope?: string;
  client_id?: string;
  username?: string;
  sub?: string;
  uid?: string;
  exp?: number;
  iat?: number;
  aud?: string;
  iss?: string;
  token_type?: string;
  [claim: string]: unknown;
}

export type IntrospectOutcome =
  /** 200 with a JSON body that has a boolean `active`. */
  | { kind: 'ok'; status: 200; body: IntrospectionResponse }
  /** The server answered with an error status (401 invalid_client: wrong introspection credentials). */
  | { kind: 'rejected'; status: number; error?: string; errorDescription?: string }
  /** 200 but not an introspection response, or a non-JSON body. */
  | { kind: 'bad-response'; status: number; message: string }
  /** No answer: DNS, refused, reset, timeout. */
  | { kind: 'unreachable'; message: string };

export interface IntrospectOptions {
  url: string;
  clientId: string;
  clientSecret: string;
  token: string;
  tokenTypeHint?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

const formEncode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');

export function basicAuth(clientId: string, clientSecret: string): string {
  return 'Basic ' + Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64');
}

export async function introspect(opts: IntrospectOptions): Promise<IntrospectOutcome> {
  const doFetch = opts.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(opts.url, {
      method: 'POST',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: basicAuth(opts.clientId, opts.clientSecret),
      },
      body: new URLSearchParams({ token: opts.token, token_type_hint: opts.tokenTypeHint ?? 'access_token' }).toString(),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      redirect: 'manual',
    });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    return { kind: 'unreachable', message: err.cause?.code ?? err.cause?.message ?? err.message };
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  const obj = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  if (res.status !== 200) {
    return {
      kind: 'rejected',
      status: res.status,
      error: typeof obj?.error === 'string' ? obj.error : typeof obj?.errorCode === 'string' ? obj.errorCode : undefined,
      errorDescription:
        typeof obj?.error_description === 'string' ? obj.error_description : typeof obj?.errorSummary === 'string' ? obj.errorSummary : undefined,
    };
  }
  if (!obj || typeof obj.active !== 'boolean') {
    return { kind: 'bad-response', status: 200, message: `expected {"active": …}, got ${text.slice(0, 120) || '(empty body)'}` };
  }
  return { kind: 'ok', status: 200, body: obj as IntrospectionResponse };
}

/** The scopes of an introspection response (`scope` is space-delimited). */
export function scopesOf(r: { scope?: unknown; scp?: unknown }): string[] {
  if (typeof r.scope === 'string') return r.scope.split(' ').filter(Boolean);
  if (Array.isArray(r.scp)) return r.scp.filter((s): s is string => typeof s === 'string');
  return [];
}
