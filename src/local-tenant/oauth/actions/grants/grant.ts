/** What a grant module gets from the /token endpoint once the server and the client are known. */
import type { AppRecord, AuthServerRecord, TenantState } from '../../../types.js';
import type { Form } from '../../client-auth.js';
import type { OAuthProvider, OAuthResult } from '../../provider.js';

export interface GrantRequest {
  /** The tenant state as read when the request started. */
  state: TenantState;
  server: AuthServerRecord;
  /** The authenticated client, allowed to use this grant type. */
  app: AppRecord;
  form: Form;
}

export type Grant = (p: OAuthProvider, req: GrantRequest) => Promise<OAuthResult>;
