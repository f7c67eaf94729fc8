/**
 * One-line explanations, in words, of what Okta and the gateway answered. Pure functions.
 *
 * Sign-in errors are the authorization response's `error` and `error_description`
 * (https://developer.okta.com/docs/reference/api/oidc/#possible-errors). Okta's descriptions are matched only to
 * pick the explanation; the page always shows Okta's own words beside it.
 */
import type { AccessLevel, ApiResource } from './config.js';

export interface SignInFailure {
  error: string;
  description?: string;
}

/** Okta's error_description when the user is not assigned to the app. */
const NOT_ASSIGNED = /not assigned to the client application/i;

/** Why a sign-in at `level` failed, for a person. */
export function explainSignIn(f: SignInFailure, level: AccessLevel | undefined, levels: AccessLevel[]): string {
  const d = f.description ?? '';
  switch (f.error) {
    case 'access_denied':
      if (NOT_ASSIGNED.test(d)) {
        return 'Your user is not assigned to this app in Okta, and Okta signs in only users assigned to the app (directly or through a group such as Everyone): assign the user or one of their groups to the app (`okta-bootstrap --mulesoft_policy` assigns Everyone).';
      }
      // A refused consent page: Okta's wording is not documented; RFC 6749's generic description (4.1.2.1) or one
      // that names consent both mean it.
      if (/consent|resource owner or authorization server denied/i.test(d)) {
        return 'You did not allow the app the scopes it asked for, so Okta issued nothing: sign in again and choose Allow.';
      }
      if (level) return `Okta's access policy refused: ${notAllowed(level, levels)}`;
      return "Okta's access policy refused the sign-in: no rule of the app's access policy matches this user and these scopes.";
    case 'login_required':
      return 'You have no Okta session, and the app asked Okta not to show its sign-in page (prompt=none): sign in with one of the panels.';
    case 'consent_required':
      return 'The app needs your consent for these scopes, and it asked Okta not to show any page (prompt=none): sign in with one of the panels.';
    case 'interaction_required':
      return 'Okta needs you to interact (sign in or consent), and the app asked Okta not to show any page (prompt=none): sign in with one of the panels.';
    case 'invalid_scope':
      return `Okta does not know a scope the app asked for (${level?.scopes.join(' ') ?? 'see above'}): check the scope names of the authorization server (\`okta-bootstrap --mulesoft\` creates them).`;
    case 'unauthorized_client':
      return "The app's client may not use the authorization code flow: register it with the authorization_code grant type.";
    case 'state_mismatch':
      return 'The answer from Okta does not belong to a sign-in this browser started (state mismatch), so it was ignored: sign in again.';
    case 'token_error':
      return 'Okta sent a code, but exchanging it for tokens failed: see the detail.';
    case 'unreachable':
      return 'The authorization server cannot be reached: check OKTA_AZ_SERVER_ISSUER, and that the org (or `okta-bootstrap local serve`) is up.';
    default:
      return 'Okta refused the sign-in.';
  }
}

/** "your user is not allowed the gold scope (…): the gold rule needs the gold group", and what to do instead. */
export function notAllowed(level: AccessLevel, levels: AccessLevel[]): string {
  const lower = levels.filter((l) => l !== level && level.scopes.includes(l.scope));
  return (
    `your user is not allowed the ${level.name} scope (${level.scope}): the ${level.name} rule needs the ${level.name} group.` +
    (lower.length ? ` Sign in with the ${lower.map((l) => l.name).join(' or ')} panel, or as a ${level.name} user.` : '')
  );
}

/** Scopes requested that the token does not carry (a tenant that grants part of a request). */
export function scopesNotGranted(requested: readonly string[], granted: readonly string[]): string[] {
  return requested.filter((s) => s !== 'openid' && !granted.includes(s));
}

export interface ApiAnswer {
  status: number;
  /** The gateway's JSON body, when it sent one. */
  body: unknown;
}

function describe(body: unknown): { error?: string; description?: string } {
  if (typeof body !== 'object' || body === null) return {};
  const b = body as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return { error: str(b.error), description: str(b.description) ?? str(b.error_description) ?? str(b.message) };
}

/**
 * What the gateway's answer means. 400: no token (or a malformed one); 401: the token is not active; 403: a scope
 * is missing (naming the scope the resource needs and the scopes the token has), or client ID enforcement;
 * 5xx: the gateway itself (or the authorization server behind it) failed.
 */
export function explainApi(resource: ApiResource, answer: ApiAnswer, tokenScopes: readonly string[] | undefined): string {
  const { error, description } = describe(answer.body);
  const s = answer.status;
  if (s >= 200 && s < 300) return `${s}: the gateway checked the access token and let the request through.`;
  if (s === 400) {
    return tokenScopes === undefined
      ? `400: no access token was sent, and the gateway requires one: sign in first.`
      : `400: the gateway found no usable access token in the request${description ? ` (${description})` : ''}.`;
  }
  if (s === 401) {
    return tokenScopes === undefined
      ? '401: the gateway wants an access token: sign in first.'
      : '401: the gateway says the access token is not active (expired, revoked, or not issued by its authorization server): sign in again.';
  }
  if (s === 403) {
    if (error === 'invalid_client') return `403: the token was issued to a client the gateway does not allow for this API (client ID enforcement)${description ? `: ${description}` : ''}.`;
    const has = tokenScopes ?? [];
    const missing = resource.needs.filter((n) => !has.includes(n));
    return `403: ${resource.path} needs the scope ${(missing.length ? missing : resource.needs).join(' ') || '(unknown)'}; your token has ${has.length ? has.join(' ') : 'no scopes'}.`;
  }
  if (s >= 500) return `${s}: the gateway itself failed${description ? `: ${description}` : ''} (this is not about your token).`;
  return `${s}: ${error ?? 'unexpected answer'}${description ? `: ${description}` : ''}.`;
}
