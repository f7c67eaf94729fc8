/** Group 1: the authorization server, its metadata and its signing keys. */
import { named, RERUN } from '../context.js';
import { AS, strip, type OrgSnapshot } from '../snapshot.js';
import { failed, passed, type Verdict } from '../types.js';
import type { Sourced, VerifyValues } from '../values.js';

export function authServerActive(s: OrgSnapshot, v: VerifyValues): Verdict {
  if (!v.serverId) return failed(`OKTA_AZ_SERVER_ID is not in the environment, ${v.outputsRead.join(', ') || 'the output files (none found)'}`, `${RERUN} (it writes output/mulesoft.json), or point --output-dir at its folder`);
  const id = v.serverId.value;
  const server = s.server;
  if (!server) return failed(`authorization server ${named('OKTA_AZ_SERVER_ID', v.serverId)} does not exist in ${s.orgUrl}`, `${RERUN} to create it, or fix OKTA_AZ_SERVER_ID`);
  if (server.status !== 'ACTIVE') return failed(`authorization server "${server.name}" (${id}) is ${server.status}`, `activate it: POST ${AS}/${id}/lifecycle/activate (Admin Console → Security → API → Authorization Servers)`);
  return passed(`"${server.name}" (${id}) ACTIVE, audiences ${JSON.stringify(server.audiences ?? [])}`);
}

/** Metadata from the server's own URL, compared with what the app and Anypoint are given. */
export function authServerMetadata(s: OrgSnapshot, v: VerifyValues): Verdict {
  const md = s.metadata?.document;
  if (!s.metadata || !md?.issuer) {
    const m = s.metadata;
    return failed(`GET ${m?.url ?? 'the metadata'} → ${m?.status || 'no answer'}${m?.error ? ` (${m.error})` : ''}`, 'check that the org serves /oauth2/{id}/.well-known (custom authorization servers need API Access Management)');
  }
  const issuer = md.issuer;
  if (!v.issuer) return failed(`OKTA_AZ_SERVER_ISSUER is not set anywhere (the server's issuer is ${issuer})`, `${RERUN}, or set OKTA_AZ_SERVER_ISSUER=${issuer} in .env`);
  if (strip(v.issuer.value) !== strip(issuer)) {
    return failed(`${named('OKTA_AZ_SERVER_ISSUER', v.issuer)} is not the server's issuer ${issuer}: tokens will not validate and the app will call the wrong server`, `set OKTA_AZ_SERVER_ISSUER=${issuer} where it came from (${v.issuer.source}), and use it in Anypoint's Issuer field`);
  }
  const endpoints: [string, Sourced | undefined, string | undefined][] = [
    ['AUTHORIZE_URL', v.authorizeUrl, md.authorization_endpoint],
    ['TOKEN_URL', v.tokenUrl, md.token_endpoint],
    ['TOKEN_INTROSPECTION_URL', v.introspectionUrl, md.introspection_endpoint],
  ];
  const mismatched = endpoints.flatMap(([key, val, want]) => (val && want && strip(val.value) !== strip(want) ? [`${key} is ${val.value} (from ${val.source}), the server says ${want}`] : []));
  if (mismatched.length) return failed(mismatched.join('; '), 'use the endpoints of the metadata (`get-settings --mulesoft_introspect` prints them); fix the value where it came from');
  return passed(`issuer ${issuer}; authorize, token and introspection URLs match`);
}

export function authServerKeys(s: OrgSnapshot): Verdict {
  const k = s.keys;
  const list = k?.keys;
  if (!k || k.status !== 200 || !list || list.length === 0) {
    return failed(`GET ${k?.url ?? '/v1/keys'} → ${k?.status || 'no answer'}${list ? ' with no keys' : ''}${k?.error ? ` (${k.error})` : ''}`, 'the server must publish its signing keys; check the authorization server (Admin Console → Security → API → Authorization Servers → Keys)');
  }
  const bad = list.flatMap((key) => (key.problem === undefined ? [] : [`${key.jwk.kid ?? '(no kid)'}: ${key.problem}`]));
  if (bad.length) return failed(`unusable keys at ${k.url}: ${bad.join('; ')}`, 'rotate the authorization server keys (Admin Console → Authorization Servers → Keys → Rotate)');
  return passed(`${list.length} key(s): ${list.map(({ jwk }) => `${jwk.kid} ${jwk.alg ?? jwk.kty}`).join(', ')}`);
}
