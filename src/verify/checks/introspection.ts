/** Group 2: the introspection client, probed with a made-up token (Okta answers 200 {"active":false}). */
import { named, RERUN } from '../context.js';
import type { OrgSnapshot } from '../snapshot.js';
import { failed, passed, type Verdict } from '../types.js';
import type { VerifyValues } from '../values.js';

const FORM_HINT = "Anypoint's Client Provider form (Token Introspection Client ID / Secret) must use the same values: `get-settings --mulesoft_introspect` prints them";

export function introspectionCredentials(s: OrgSnapshot, v: VerifyValues): Verdict {
  const given = { TOKEN_INTROSPECTION_URL: v.introspectionUrl, INTROSPECT_CLIENT_ID: v.introspectClientId, INTROSPECT_CLIENT_SECRET: v.introspectClientSecret };
  const missing = Object.entries(given).flatMap(([k, x]) => (x ? [] : [k]));
  const probe = s.introspection;
  if (missing.length || !probe || !v.introspectClientId) {
    return failed(`${missing.join(', ') || 'TOKEN_INTROSPECTION_URL'} not found in the environment, .env or ${v.outputsRead.join(', ') || 'output files'}`, `${RERUN} (it creates the introspection client), or set them in .env`);
  }
  const { url, outcome: r } = probe;
  if (r.kind === 'ok') {
    if (r.body.active === false) return passed(`POST ${url} → 200 {"active":false}`);
    return failed(`POST ${url} said a made-up token is active`, "TOKEN_INTROSPECTION_URL does not point at an Okta introspection endpoint; use the server's introspection_endpoint");
  }
  if (r.kind === 'unreachable') return failed(`${named('TOKEN_INTROSPECTION_URL', v.introspectionUrl)} cannot be reached (${r.message})`, 'use the introspection_endpoint of the authorization server metadata');
  if (r.kind === 'bad-response') return failed(`POST ${url} → ${r.message}`, 'TOKEN_INTROSPECTION_URL must be {issuer}/v1/introspect');
  const said = `introspection returned ${r.status}${r.error ? ` ${r.error}` : ''}${r.errorDescription ? ` (${r.errorDescription})` : ''}`;
  if (r.status === 401) {
    // Which half is wrong: does the client id name a client of this org?
    const id = v.introspectClientId.value;
    const app = probe.client;
    if (!app) return failed(`${said}: ${named('INTROSPECT_CLIENT_ID', v.introspectClientId)} is not a client of ${s.orgUrl}`, `set INTROSPECT_CLIENT_ID to the introspection client's id (${RERUN} prints it); ${FORM_HINT}`);
    if (app.status !== 'ACTIVE') return failed(`${said}: the introspection client "${app.label}" (${id}) is ${app.status}`, `activate it: POST /api/v1/apps/${id}/lifecycle/activate`);
    return failed(`${said} → INTROSPECT_CLIENT_SECRET (from ${v.introspectClientSecret?.source}) is wrong for client "${app.label}" (${id})`, `set INTROSPECT_CLIENT_SECRET to that client's secret (output/mulesoft.json, or Admin Console → Applications → ${app.label} → Client secret); ${FORM_HINT}`);
  }
  if (r.status === 404) return failed(`${said}: ${named('TOKEN_INTROSPECTION_URL', v.introspectionUrl)} names no authorization server`, 'use {OKTA_AZ_SERVER_ISSUER}/v1/introspect');
  return failed(said, 'check TOKEN_INTROSPECTION_URL and the introspection client');
}
