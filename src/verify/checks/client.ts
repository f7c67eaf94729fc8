/** Group 3, the app's side: the AUTHN client's assignment and redirect URI, and REDIRECT_URI's trusted origin. */
import { named, RERUN, RERUN_POLICY } from '../context.js';
import { strip, type OrgSnapshot } from '../snapshot.js';
import { failed, passed, type Verdict } from '../types.js';
import { LEVELS, type VerifyValues } from '../values.js';

/** Both client checks fail the same way when there is no client to look at. */
function noClient(s: OrgSnapshot, v: VerifyValues): Verdict {
  const cause = v.authnClientId ? `${named('AUTHN_CLIENT_ID', v.authnClientId)} is not a client of ${s.orgUrl}` : 'AUTHN_CLIENT_ID is not set';
  return failed(cause, 'run `okta-bootstrap register-client … --write-env`, or copy the client id Anypoint registered into .env as AUTHN_CLIENT_ID');
}

export function clientAssigned(s: OrgSnapshot, v: VerifyValues): Verdict {
  const app = s.authnClient?.app;
  if (!v.authnClientId || !app) return noClient(s, v);
  const assigned = new Set(s.authnClient?.assignedGroupIds ?? []);
  const everyone = s.authnClient?.everyone;
  const viaEveryone = everyone !== undefined && assigned.has(everyone.id);
  const unassigned: string[] = [];
  const how: string[] = [];
  for (const lv of LEVELS) {
    const read = s.users[lv];
    if (!read?.user || viaEveryone) continue;
    if (!read.groups.some((g) => assigned.has(g.id))) {
      unassigned.push(`${lv} user ${read.user.profile?.login} (groups: ${read.groups.map((g) => g.profile?.name).join(', ') || 'none'})`);
      const gid = v[lv].groupId?.value;
      if (gid) how.push(`PUT /api/v1/apps/${app.id}/groups/${gid}`);
    }
  }
  if (unassigned.length) {
    return failed(`client "${app.label}" (${app.id}) is not assigned to any group of the ${unassigned.join('; ')}: Okta answers "User is not assigned to the client application."`, `assign it: ${[...new Set(how)].join(', ') || `PUT /api/v1/apps/${app.id}/groups/{groupId}`} (or to Everyone), or ${RERUN_POLICY}`);
  }
  return passed(viaEveryone ? `"${app.label}" is assigned to Everyone` : `"${app.label}" assigned to ${assigned.size} group(s) covering both users`);
}

export function clientRedirectUri(s: OrgSnapshot, v: VerifyValues): Verdict {
  const app = s.authnClient?.app;
  if (!v.authnClientId || !app) return noClient(s, v);
  const uris = app.settings?.oauthClient?.redirect_uris ?? [];
  if (!v.redirectUri) return failed('REDIRECT_URI is not set', RERUN);
  if (!uris.includes(v.redirectUri.value)) {
    return failed(`${named('REDIRECT_URI', v.redirectUri)} is not a redirect URI of client "${app.label}" (${app.id}); it has ${uris.join(', ') || 'none'}`, `add it to the client (Admin Console → Applications → ${app.label} → Sign-in redirect URIs) or register the client with --redirect-uri ${v.redirectUri.value}`);
  }
  return passed(v.redirectUri.value);
}

export function trustedOrigin(s: OrgSnapshot, v: VerifyValues): Verdict {
  if (!v.redirectUri) return failed('REDIRECT_URI is not set', RERUN);
  let origin: string;
  try {
    origin = new URL(v.redirectUri.value).origin;
  } catch {
    return failed(`${named('REDIRECT_URI', v.redirectUri)} is not a URL`, "set REDIRECT_URI to the app's URL, e.g. http://localhost:8080");
  }
  const found = (s.trustedOrigins ?? []).find((o) => o.origin && strip(o.origin) === origin);
  if (!found) {
    return failed(`${origin} (from REDIRECT_URI, ${v.redirectUri.source}) is not a trusted origin of ${s.orgUrl}`, `${RERUN_POLICY}, or POST /api/v1/trustedOrigins {"name":"${origin}","origin":"${origin}","scopes":[{"type":"CORS"},{"type":"REDIRECT"}]}`);
  }
  if (found.status !== 'ACTIVE') return failed(`trusted origin "${found.name}" (${found.id}) for ${origin} is ${found.status}`, `activate it: POST /api/v1/trustedOrigins/${found.id}/lifecycle/activate`);
  return passed(`${origin} (${(found.scopes ?? []).map((x) => x.type).join(', ')})`);
}
