/**
 * The relying party, through openid-client (an OpenID Certified relying-party library): discovery from the issuer
 * (https://developer.okta.com/docs/reference/api/oidc/#well-known-openid-configuration), the authorization code flow
 * with PKCE (S256), `state` and `nonce` (https://developer.okta.com/docs/guides/implement-grant-type/authcodepkce/main/),
 * the code exchange with client_secret_basic (the method register-client and Anypoint register), ID token validation
 * (signature from the issuer's keys, iss, aud, exp, nonce), and RP-initiated logout through `end_session_endpoint`
 * (https://developer.okta.com/docs/reference/api/oidc/#logout).
 * Plain http is allowed only for an issuer on localhost (the local tenant); anything else must be https.
 */
import * as client from 'openid-client';
import { decodeJwt } from 'jose';
import type { AppConfig } from './config.js';
import type { PendingSignIn, SignedIn } from './session.js';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export class RelyingParty {
  private config: Promise<client.Configuration> | undefined;

  constructor(private readonly app: AppConfig) {}

  /** Discovery, once (a failure is retried on the next use). */
  configuration(): Promise<client.Configuration> {
    if (!this.config) {
      const issuer = new URL(this.app.issuer);
      const insecure = issuer.protocol === 'http:' && LOCAL_HOSTS.has(issuer.hostname);
      this.config = client
        .discovery(issuer, this.app.clientId, undefined, client.ClientSecretBasic(this.app.clientSecret), insecure ? { execute: [client.allowInsecureRequests] } : undefined)
        .then((config) => {
          config[client.customFetch] = exactRedirectUri(this.app.redirectUri);
          return config;
        })
        .catch((e: unknown) => {
          this.config = undefined;
          throw e;
        });
    }
    return this.config;
  }

  /** The authorize URL for a sign-in requesting `scopes`, and what the callback must check. */
  async startSignIn(level: string, scopes: string[], prompt?: string): Promise<{ url: URL; pending: PendingSignIn }> {
    const config = await this.configuration();
    const verifier = client.randomPKCECodeVerifier();
    const pending: PendingSignIn = { state: client.randomState(), nonce: client.randomNonce(), verifier, level, ...(prompt ? { prompt } : {}) };
    const params: Record<string, string> = {
      redirect_uri: this.app.redirectUri,
      response_type: 'code',
      scope: scopes.join(' '),
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    };
    if (prompt) params.prompt = prompt;
    return { url: client.buildAuthorizationUrl(config, params), pending };
  }

  /** Exchanges the code of the callback at `currentUrl`, validating state, PKCE, nonce and the ID token. */
  async finishSignIn(currentUrl: URL, pending: PendingSignIn): Promise<SignedIn> {
    const config = await this.configuration();
    const tokens = await client.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const idClaims: Record<string, unknown> = { ...(tokens.claims() ?? {}) };
    let accessClaims: Record<string, unknown> | undefined;
    try {
      // Okta's custom authorization servers issue JWT access tokens; the app only shows their claims (the gateway
      // validates the token by introspection).
      accessClaims = { ...decodeJwt(tokens.access_token) };
    } catch {
      accessClaims = undefined;
    }
    const scp = accessClaims?.scp;
    const scopes = Array.isArray(scp) ? scp.filter((s): s is string => typeof s === 'string') : (tokens.scope ?? '').split(' ').filter(Boolean);
    return { accessToken: tokens.access_token, ...(tokens.id_token ? { idToken: tokens.id_token } : {}), scopes, idClaims, ...(accessClaims ? { accessClaims } : {}) };
  }

  /** The end-session URL (Okta's /v1/logout), or undefined when the server publishes none. */
  async endSessionUrl(idToken: string | undefined, state: string): Promise<URL | undefined> {
    const config = await this.configuration();
    if (!config.serverMetadata().end_session_endpoint || !idToken) return undefined;
    return client.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: this.app.redirectUri, state });
  }
}

/**
 * openid-client sends, as the token request's `redirect_uri`, the callback URL without its query, serialized by
 * WHATWG URL: `http://localhost:8080` comes out as `http://localhost:8080/`. The authorization request sent
 * REDIRECT_URI as written, and the two must be identical (https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3;
 * Okta compares it with the registered Sign-in redirect URI as a string), so the token request gets the
 * REDIRECT_URI as written back. Nothing else is changed.
 */
function exactRedirectUri(redirectUri: string): (url: string, options: client.CustomFetchOptions) => Promise<Response> {
  const normalized = new URL(redirectUri).href;
  return (url, options) => {
    const body = options.body;
    if (normalized !== redirectUri && body instanceof URLSearchParams && body.get('redirect_uri') === normalized) body.set('redirect_uri', redirectUri);
    return fetch(url, options);
  };
}

export const AuthorizationResponseError = client.AuthorizationResponseError;
export const ResponseBodyError = client.ResponseBodyError;
