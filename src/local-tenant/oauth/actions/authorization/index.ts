/**
 * `GET|POST /oauth2/{authServerId}/v1/authorize`
 * (https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/CustomAS/#tag/CustomAS/operation/authorizeCustomAS):
 * the client and redirect URI, the request checks, the one-time session token, the sign-in checks (checks.ts),
 * then the code, access token and ID token the response type asks for.
 *
 * Choice where Okta's docs are silent: authorization codes live 300 s and are bound to the client, the server and
 * the redirect URI (https://developer.okta.com/docs/guides/implement-grant-type/authcodepkce/main/).
 */
import type { UserRecord } from '../../../types.js';
import { activeUser, decide } from '../../access.js';
import type { Form } from '../../client-auth.js';
import type { PolicyDecision } from '../../policy.js';
import { has, type OAuthProvider, type OAuthResult } from '../../provider.js';
import { randomToken, sha256, type CodeRecord } from '../../state.js';
import { issueAccessToken, mintIdToken } from '../../tokens/mint.js';
import {
  authorizeRequest,
  clientOf,
  firstRefusal,
  registeredRedirectUri,
  REQUEST_CHECKS,
  SESSION_INVALID,
  SIGN_IN_CHECKS,
  type AuthorizeRequest,
  type Refusal,
  type SignIn,
} from './checks.js';
import { errorMode, respond } from './respond.js';

export const CODE_LIFETIME_SEC = 300;

/** A sign-in that passed every check. */
interface Approved extends SignIn {
  readonly user: UserRecord;
  readonly decision: Extract<PolicyDecision, { ok: true }>;
}

function isApproved(s: SignIn): s is Approved {
  return s.user !== undefined && s.decision?.ok === true;
}

function requestOf(p: OAuthProvider, serverId: string, params: Form): AuthorizeRequest {
  const state = p.store.read();
  const server = p.server(state, serverId);
  const app = clientOf(state, params);
  return authorizeRequest(server, app, registeredRedirectUri(app, params), params);
}

function refused(req: AuthorizeRequest, r: Refusal): OAuthResult {
  const st = req.params.state;
  return respond(req.redirectUri, errorMode(req.mode, req.implicit), {
    error: r.error,
    error_description: r.description,
    ...(st !== undefined ? { state: st } : {}),
  });
}

/** Takes the session token (one-time, whatever happens next) and evaluates who signed in. */
async function signIn(p: OAuthProvider, req: AuthorizeRequest): Promise<SignIn> {
  const sessionToken = req.params.sessionToken;
  const now = p.nowSec();
  const session = sessionToken
    ? await p.mutate((data) => {
        const h = sha256(sessionToken);
        const s = has(data.sessionTokens, h);
        if (s) delete data.sessionTokens[h];
        return s;
      })
    : undefined;
  const state = p.store.read();
  const user = session && session.expiresAt > now ? activeUser(state, session.userId) : undefined;
  const grantType = req.types.has('code') ? 'authorization_code' : 'implicit';
  const decision = user ? decide(state, req.server, req.app, grantType, user, [...req.scopes]) : undefined;
  return { req, state, now, session, user, decision };
}

async function issue(p: OAuthProvider, { req, now, user, decision }: Approved): Promise<OAuthResult> {
  const { server, app, params, types } = req;
  const granted = decision.grantedScopes;
  const out: Record<string, string> = {};
  if (types.has('code')) {
    const code = randomToken(32);
    const rec: CodeRecord = {
      serverId: server.id,
      clientId: app.id,
      userId: user.id,
      redirectUri: req.redirectUri,
      scopes: granted,
      ...(params.nonce !== undefined ? { nonce: params.nonce } : {}),
      ...(params.code_challenge !== undefined ? { codeChallenge: params.code_challenge } : {}),
      authTime: now,
      expiresAt: now + CODE_LIFETIME_SEC,
      lifetimes: decision,
    };
    await p.mutate((data) => {
      data.codes[sha256(code)] = rec;
    });
    out.code = code;
  }
  if (types.has('token')) {
    const at = await issueAccessToken(p, server, app, user, granted, decision, now);
    Object.assign(out, { access_token: at.token, token_type: 'Bearer', expires_in: String(decision.accessTokenLifetimeMinutes * 60), scope: granted.join(' ') });
  }
  if (types.has('id_token')) {
    out.id_token = await mintIdToken(p, server, app, user, granted, {
      authTime: now,
      ...(params.nonce !== undefined ? { nonce: params.nonce } : {}),
      ...(out.access_token ? { accessToken: out.access_token } : {}),
      ...(out.code ? { code: out.code } : {}),
    });
  }
  if (params.state !== undefined) out.state = params.state;
  return respond(req.redirectUri, req.mode, out);
}

export async function authorize(p: OAuthProvider, serverId: string, params: Form): Promise<OAuthResult> {
  const req = requestOf(p, serverId, params);
  const badRequest = firstRefusal(REQUEST_CHECKS, req);
  if (badRequest) return refused(req, badRequest);
  const s = await signIn(p, req);
  const badSignIn = firstRefusal(SIGN_IN_CHECKS, s);
  // The sign-in checks refuse every sign-in without a user or an allowing decision; isApproved tells the compiler.
  if (badSignIn || !isApproved(s)) return refused(req, badSignIn ?? { error: 'login_required', description: SESSION_INVALID });
  return issue(p, s);
}
