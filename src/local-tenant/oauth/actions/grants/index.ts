/** The `grant_type → module` map of the /token endpoint: one module per grant the local tenant supports. */
import { has } from '../../provider.js';
import { authorizationCode } from './authorization-code.js';
import { clientCredentials } from './client-credentials.js';
import type { Grant } from './grant.js';
import { password } from './password.js';
import { refreshToken } from './refresh-token.js';

export const GRANTS = {
  client_credentials: clientCredentials,
  authorization_code: authorizationCode,
  refresh_token: refreshToken,
  password,
} satisfies Record<string, Grant>;

/** The module of `grantType`, when the local tenant supports it. */
export function grantFor(grantType: string): Grant | undefined {
  return has<Grant>(GRANTS, grantType);
}
