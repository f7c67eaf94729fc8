/**
 * PKCE (https://www.rfc-editor.org/rfc/rfc7636), S256 only: Okta's `code_challenge_methods_supported` is `["S256"]`
 * (https://developer.okta.com/docs/guides/implement-grant-type/authcodepkce/main/).
 */
import { createHash } from 'node:crypto';

/** https://www.rfc-editor.org/rfc/rfc7636#section-4.1: 43..128 characters of [A-Z a-z 0-9 - . _ ~]. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
/** A S256 challenge is a base64url SHA-256: 43 characters. */
const CHALLENGE = /^[A-Za-z0-9\-_]{43}$/;

export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

export function isValidVerifier(verifier: string): boolean {
  return VERIFIER.test(verifier);
}

export function isValidChallenge(challenge: string): boolean {
  return CHALLENGE.test(challenge);
}

/** True when the verifier is well-formed and hashes to the challenge. */
export function verifyPkce(challenge: string, verifier: string): boolean {
  return isValidVerifier(verifier) && s256Challenge(verifier) === challenge;
}

/**
 * Whether the client must use PKCE: Okta's `pkce_required` (credentials.oauthClient) defaults to true for browser
 * and native apps (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Application/, the
 * OAuth client settings), and a public client (token_endpoint_auth_method none) has nothing else to prove it is
 * the client that asked (https://developer.okta.com/docs/guides/implement-grant-type/authcodepkce/main/).
 * The tenant does not let it be turned off (DCR has no such field).
 */
export function pkceRequired(app: { applicationType: string; tokenEndpointAuthMethod: string }): boolean {
  return app.applicationType === 'browser' || app.applicationType === 'native' || app.tokenEndpointAuthMethod === 'none';
}
