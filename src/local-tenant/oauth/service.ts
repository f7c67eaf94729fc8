/**
 * The OAuth/OIDC endpoints of every authorization server of the local tenant, as one object over the tenant
 * store: a thin facade over actions/, which routes.ts wires to fastify. Each endpoint's behaviour, and the
 * choices made where Okta's docs are silent, are described in its module:
 *
 * | endpoint                                   | module                             |
 * |--------------------------------------------|------------------------------------|
 * | .well-known/oauth-authorization-server, .well-known/openid-configuration | actions/discovery.ts |
 * | v1/keys                                    | actions/jwks.ts                    |
 * | v1/authorize                               | actions/authorization/ (checks.ts) |
 * | v1/logout                                  | actions/logout.ts                  |
 * | v1/token                                   | actions/token.ts, actions/grants/  |
 * | v1/introspect                              | actions/introspection.ts           |
 * | v1/revoke                                  | actions/revocation.ts              |
 * | v1/userinfo                                | actions/userinfo.ts                |
 *
 * Token minting and lookup are in tokens/, the shared provider (store, clock, issuer, keys) in provider.ts.
 * `POST /api/v1/authn` is not an OAuth endpoint: it is in ../authn/.
 */
import { authorize, type Browser, type BrowserResult } from './actions/authorization/index.js';
import { discovery, type MetadataKind } from './actions/discovery.js';
import { introspection } from './actions/introspection.js';
import { jwks } from './actions/jwks.js';
import { revocation } from './actions/revocation.js';
import { token } from './actions/token.js';
import { userinfo } from './actions/userinfo.js';
import type { Form } from './client-auth.js';
import { OAuthProvider, type OAuthProviderOptions, type OAuthResult } from './provider.js';
import type { SigningKeyEntry } from './state.js';

export class OAuthService {
  /** Shared with POST /api/v1/authn in tests that sign users in without HTTP. */
  readonly provider: OAuthProvider;

  constructor(opts: OAuthProviderOptions) {
    this.provider = new OAuthProvider(opts);
  }

  /** The issuer of the server a path names (its id, or `default` for the default server). */
  issuer(serverId: string): string {
    return this.provider.issuer(this.provider.server(this.provider.store.read(), serverId));
  }

  signingKey(serverId: string): Promise<SigningKeyEntry> {
    return this.provider.signingKey(serverId);
  }

  metadata(serverId: string, kind: MetadataKind, query: Form = {}): OAuthResult {
    return discovery(this.provider, serverId, kind, query);
  }

  keys(serverId: string): Promise<OAuthResult> {
    return jwks(this.provider, serverId);
  }

  authorize(serverId: string, params: Form, browser?: Browser): Promise<BrowserResult> {
    return authorize(this.provider, serverId, params, browser);
  }

  token(serverId: string, form: Form, authorization: string | undefined): Promise<OAuthResult> {
    return token(this.provider, serverId, form, authorization);
  }

  introspect(serverId: string, form: Form, authorization: string | undefined, query: Form = {}): Promise<OAuthResult> {
    return introspection(this.provider, serverId, form, authorization, query);
  }

  revoke(serverId: string, form: Form, authorization: string | undefined, query: Form = {}): Promise<OAuthResult> {
    return revocation(this.provider, serverId, form, authorization, query);
  }

  userinfo(serverId: string, authorization: string | undefined): Promise<OAuthResult> {
    return userinfo(this.provider, serverId, authorization);
  }
}
