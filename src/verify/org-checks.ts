/**
 * Checks 1–3 of verify: the authorization server, the introspection credentials, and the audit of the
 * configuration the runs created. Management reads go through the Okta client (the SDK's executor);
 * the public OAuth documents (metadata, keys) and the introspection call through plain fetch.
 */
import { importJWK, type JSONWebKeySet, type JWK } from 'jose';
import { introspect } from '../gateway/introspect.js';
import { fetchJson, getOrUndefined, named, RERUN, RERUN_POLICY, type AuthServerObj, type GroupObj, type Metadata, type UserObj, type VerifyContext } from './context.js';
import { fail, pass, skip, type CheckResult } from './types.js';
import { LEVELS, type Level, type LevelValues } from './values.js';

const AS = '/api/v1/authorizationServers';
const strip = (u: string) => u.replace(/\/+$/, '');

// ---------------------------------------------------------------------------------------------------------------
// 1. Authorization server
// ---------------------------------------------------------------------------------------------------------------

export async function authServerChecks(ctx: VerifyContext): Promise<CheckResult[]> {
  const v = ctx.values;
  const out: CheckResult[] = [];
  const T1 = 'the authorization server exists and is ACTIVE';
  if (!v.serverId) {
    out.push(fail(1, 'authserver.active', T1, `OKTA_AZ_SERVER_ID is not in the environment, ${v.outputsRead.join(', ') || 'the output files (none found)'}`, `${RERUN} (it writes output/mulesoft.json), or point --output-dir at its folder`));
    out.push(skip(1, 'authserver.metadata', 'metadata is served and its issuer is OKTA_AZ_SERVER_ISSUER', 'no authorization server id'));
    out.push(skip(1, 'authserver.keys', '/v1/keys serves usable signing keys', 'no authorization server id'));
    return out;
  }
  const id = v.serverId.value;
  const server = await getOrUndefined<AuthServerObj>(ctx.api, `${AS}/${encodeURIComponent(id)}`);
  if (!server) {
    out.push(fail(1, 'authserver.active', T1, `authorization server ${named('OKTA_AZ_SERVER_ID', v.serverId)} does not exist in ${ctx.orgUrl}`, `${RERUN} to create it, or fix OKTA_AZ_SERVER_ID`));
  } else if (server.status !== 'ACTIVE') {
    ctx.server = server;
    out.push(fail(1, 'authserver.active', T1, `authorization server "${server.name}" (${id}) is ${server.status}`, `activate it: POST ${AS}/${id}/lifecycle/activate (Admin Console → Security → API → Authorization Servers)`));
  } else {
    ctx.server = server;
    out.push(pass(1, 'authserver.active', T1, `"${server.name}" (${id}) ACTIVE, audiences ${JSON.stringify(server.audiences ?? [])}`));
  }

  // Metadata from the server's own URL; then compare with what the app and Anypoint are given.
  const T2 = 'metadata is served and its issuer is OKTA_AZ_SERVER_ISSUER';
  const metaUrl = `${strip(ctx.orgUrl)}/oauth2/${encodeURIComponent(id)}/.well-known/oauth-authorization-server`;
  const meta = await fetchJson(ctx.fetch, metaUrl);
  const md = meta.status === 200 && meta.json && typeof meta.json === 'object' ? (meta.json as Metadata) : undefined;
  if (!md || typeof md.issuer !== 'string') {
    out.push(fail(1, 'authserver.metadata', T2, `GET ${metaUrl} → ${meta.status || 'no answer'}${meta.error ? ` (${meta.error})` : ''}`, server?.status === 'ACTIVE' ? 'check that the org serves /oauth2/{id}/.well-known (custom authorization servers need API Access Management)' : 'fix the authorization server first (authserver.active)'));
  } else {
    ctx.metadata = md;
    if (!v.issuer) {
      out.push(fail(1, 'authserver.metadata', T2, `OKTA_AZ_SERVER_ISSUER is not set anywhere (the server's issuer is ${md.issuer})`, `${RERUN}, or set OKTA_AZ_SERVER_ISSUER=${md.issuer} in .env`));
    } else if (strip(v.issuer.value) !== strip(md.issuer)) {
      out.push(
        fail(1, 'authserver.metadata', T2, `${named('OKTA_AZ_SERVER_ISSUER', v.issuer)} is not the server's issuer ${md.issuer}: tokens will not validate and the app will call the wrong server`, `set OKTA_AZ_SERVER_ISSUER=${md.issuer} where it came from (${v.issuer.source}), and use it in Anypoint's Issuer field`),
      );
    } else {
      const mismatched: string[] = [];
      const cmp = (key: string, val: { value: string; source: string } | undefined, want: string | undefined) => {
        if (val && want && strip(val.value) !== strip(want)) mismatched.push(`${key} is ${val.value} (from ${val.source}), the server says ${want}`);
      };
      cmp('AUTHORIZE_URL', v.authorizeUrl, md.authorization_endpoint);
      cmp('TOKEN_URL', v.tokenUrl, md.token_endpoint);
      cmp('TOKEN_INTROSPECTION_URL', v.introspectionUrl, md.introspection_endpoint);
      if (mismatched.length) {
        out.push(fail(1, 'authserver.metadata', T2, mismatched.join('; '), 'use the endpoints of the metadata (`get-settings --mulesoft_introspect` prints them); fix the value where it came from'));
      } else {
        out.push(pass(1, 'authserver.metadata', T2, `issuer ${md.issuer}; authorize, token and introspection URLs match`));
      }
    }
  }

  const T3 = '/v1/keys serves usable signing keys';
  const keysUrl = md?.jwks_uri ?? `${strip(ctx.orgUrl)}/oauth2/${encodeURIComponent(id)}/v1/keys`;
  const keys = await fetchJson(ctx.fetch, keysUrl);
  const list = (keys.json as { keys?: unknown } | undefined)?.keys;
  if (keys.status !== 200 || !Array.isArray(list) || list.length === 0) {
    out.push(fail(1, 'authserver.keys', T3, `GET ${keysUrl} → ${keys.status || 'no answer'}${Array.isArray(list) ? ' with no keys' : ''}${keys.error ? ` (${keys.error})` : ''}`, 'the server must publish its signing keys; check the authorization server (Admin Console → Security → API → Authorization Servers → Keys)'));
  } else {
    const bad: string[] = [];
    for (const k of list as JWK[]) {
      try {
        if (k.use && k.use !== 'sig') throw new Error(`use ${k.use}`);
        await importJWK(k, k.alg ?? 'RS256');
      } catch (e) {
        bad.push(`${k.kid ?? '(no kid)'}: ${(e as Error).message}`);
      }
    }
    if (bad.length) out.push(fail(1, 'authserver.keys', T3, `unusable keys at ${keysUrl}: ${bad.join('; ')}`, 'rotate the authorization server keys (Admin Console → Authorization Servers → Keys → Rotate)'));
    else {
      ctx.jwks = { keys: list as JWK[] } as JSONWebKeySet;
      out.push(pass(1, 'authserver.keys', T3, `${list.length} key(s): ${(list as JWK[]).map((k) => `${k.kid} ${k.alg ?? k.kty}`).join(', ')}`));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Introspection credentials
// ---------------------------------------------------------------------------------------------------------------

const FORM_HINT = "Anypoint's Client Provider form (Token Introspection Client ID / Secret) must use the same values: `get-settings --mulesoft_introspect` prints them";

export async function introspectionChecks(ctx: VerifyContext): Promise<CheckResult[]> {
  const v = ctx.values;
  const T = 'the introspection client works at TOKEN_INTROSPECTION_URL (dummy token → 200 {"active":false})';
  const missing = [
    ['TOKEN_INTROSPECTION_URL', v.introspectionUrl],
    ['INTROSPECT_CLIENT_ID', v.introspectClientId],
    ['INTROSPECT_CLIENT_SECRET', v.introspectClientSecret],
  ].filter(([, x]) => !x).map(([k]) => k as string);
  if (missing.length) return [fail(2, 'introspection.credentials', T, `${missing.join(', ')} not found in the environment, .env or ${v.outputsRead.join(', ') || 'output files'}`, `${RERUN} (it creates the introspection client), or set them in .env`)];
  const url = v.introspectionUrl!.value;
  const r = await introspect({ url, clientId: v.introspectClientId!.value, clientSecret: v.introspectClientSecret!.value, token: 'okta-bootstrap-verify-not-a-token', fetch: ctx.fetch });
  if (r.kind === 'ok' && r.body.active === false) return [pass(2, 'introspection.credentials', T, `POST ${url} → 200 {"active":false}`)];
  if (r.kind === 'ok') return [fail(2, 'introspection.credentials', T, `POST ${url} said a made-up token is active`, 'TOKEN_INTROSPECTION_URL does not point at an Okta introspection endpoint; use the server\'s introspection_endpoint')];
  if (r.kind === 'unreachable') return [fail(2, 'introspection.credentials', T, `${named('TOKEN_INTROSPECTION_URL', v.introspectionUrl)} cannot be reached (${r.message})`, 'use the introspection_endpoint of the authorization server metadata')];
  if (r.kind === 'bad-response') return [fail(2, 'introspection.credentials', T, `POST ${url} → ${r.message}`, 'TOKEN_INTROSPECTION_URL must be {issuer}/v1/introspect')];
  const said = `introspection returned ${r.status}${r.error ? ` ${r.error}` : ''}${r.errorDescription ? ` (${r.errorDescription})` : ''}`;
  if (r.status === 401) {
    // Which half is wrong: does the client id name a client of this org?
    const id = v.introspectClientId!.value;
    const app = await getOrUndefined<{ status?: string; label?: string }>(ctx.api, `/api/v1/apps/${encodeURIComponent(id)}`);
    if (!app) return [fail(2, 'introspection.credentials', T, `${said}: ${named('INTROSPECT_CLIENT_ID', v.introspectClientId)} is not a client of ${ctx.orgUrl}`, `set INTROSPECT_CLIENT_ID to the introspection client's id (${RERUN} prints it); ${FORM_HINT}`)];
    if (app.status !== 'ACTIVE') return [fail(2, 'introspection.credentials', T, `${said}: the introspection client "${app.label}" (${id}) is ${app.status}`, `activate it: POST /api/v1/apps/${id}/lifecycle/activate`)];
    return [fail(2, 'introspection.credentials', T, `${said} → INTROSPECT_CLIENT_SECRET (from ${v.introspectClientSecret!.source}) is wrong for client "${app.label}" (${id})`, `set INTROSPECT_CLIENT_SECRET to that client's secret (output/mulesoft.json, or Admin Console → Applications → ${app.label} → Client secret); ${FORM_HINT}`)];
  }
  if (r.status === 404) return [fail(2, 'introspection.credentials', T, `${said}: ${named('TOKEN_INTROSPECTION_URL', v.introspectionUrl)} names no authorization server`, 'use {OKTA_AZ_SERVER_ISSUER}/v1/introspect')];
  return [fail(2, 'introspection.credentials', T, said, 'check TOKEN_INTROSPECTION_URL and the introspection client')];
}

// ---------------------------------------------------------------------------------------------------------------
// 3. Configuration audit
// ---------------------------------------------------------------------------------------------------------------

interface PolicyObj {
  id: string;
  name?: string;
  status?: string;
  priority?: number;
  conditions?: { clients?: { include?: string[] } };
}

interface RuleObj {
  id: string;
  name?: string;
  status?: string;
  priority?: number;
  conditions?: {
    people?: { groups?: { include?: string[]; exclude?: string[] }; users?: { include?: string[]; exclude?: string[] } };
    grantTypes?: { include?: string[] };
    scopes?: { include?: string[] };
  };
}

/** The scopes each level's user asks for: the gold user also asks for silver, so one token reads both resources. */
export function requestedScopes(ctx: VerifyContext, level: Level): string[] {
  const v = ctx.values;
  return level === 'silver' ? ['openid', v.silver.scope.value] : ['openid', v.silver.scope.value, v.gold.scope.value];
}

function groupLabel(lv: LevelValues, groups: GroupObj[] = []): string {
  const g = groups.find((x) => x.id === lv.groupId?.value);
  const name = g?.profile?.name ?? lv.groupName;
  return name ? `${name} (${lv.groupId?.value})` : `${lv.groupId?.value}`;
}

function byPriority<T extends { priority?: number }>(xs: T[]): T[] {
  return xs.map((x, i) => ({ x, i })).sort((a, b) => (a.x.priority ?? 1e9) - (b.x.priority ?? 1e9) || a.i - b.i).map((p) => p.x);
}

export async function auditChecks(ctx: VerifyContext): Promise<CheckResult[]> {
  const v = ctx.values;
  const out: CheckResult[] = [];
  const serverId = ctx.server?.id;
  const noServer = 'the authorization server is missing (authserver.active)';

  // Scopes
  const scopes = serverId ? await ctx.api.list<{ name: string }>(`${AS}/${serverId}/scopes`) : undefined;
  for (const lv of LEVELS) {
    const want = v[lv].scope;
    const T = `the ${lv} scope exists`;
    if (!scopes) out.push(skip(3, `audit.scope.${lv}`, T, noServer));
    else if (scopes.some((s) => s.name === want.value)) out.push(pass(3, `audit.scope.${lv}`, T, want.value));
    else out.push(fail(3, `audit.scope.${lv}`, T, `scope ${want.value} (${lv.toUpperCase()}_SCOPE_NAME, from ${want.source}) is not defined on authorization server ${serverId} (it has: ${scopes.map((s) => s.name).join(', ') || 'none'})`, `${RERUN} to recreate it, or POST ${AS}/${serverId}/scopes {"name":"${want.value}"}`));
  }

  // Users and their groups (needed by rules, assignment and the dance's diagnosis)
  for (const lv of LEVELS) out.push(await userCheck(ctx, lv));

  // Policy
  const TP = 'the access policy is ACTIVE and includes AUTHN_CLIENT_ID';
  const authn = v.authnClientId;
  let policy: PolicyObj | undefined;
  let policies: PolicyObj[] = [];
  if (serverId) {
    policies = await ctx.api.list<PolicyObj>(`${AS}/${serverId}/policies`);
    policy = (v.policyId && policies.find((p) => p.id === v.policyId!.value)) || (authn ? policies.find((p) => p.conditions?.clients?.include?.includes(authn.value)) : undefined);
  }
  if (!serverId) out.push(skip(3, 'audit.policy', TP, noServer));
  else if (!authn) out.push(fail(3, 'audit.policy', TP, 'AUTHN_CLIENT_ID is not set (the client Anypoint registered for the app)', 'run `okta-bootstrap register-client … --write-env` or copy the client id Anypoint shows into .env as AUTHN_CLIENT_ID'));
  else if (!policy) out.push(fail(3, 'audit.policy', TP, `no access policy on authorization server ${serverId} ${v.policyId ? `has the recorded id ${v.policyId.value} or ` : ''}includes ${named('AUTHN_CLIENT_ID', authn)} (policies: ${policies.map((p) => `"${p.name}"`).join(', ') || 'none'})`, RERUN_POLICY));
  else {
    const include = policy.conditions?.clients?.include ?? [];
    const label = `policy "${policy.name}" (${policy.id})`;
    if (policy.status !== 'ACTIVE') out.push(fail(3, 'audit.policy', TP, `${label} is ${policy.status}`, `activate it: POST ${AS}/${serverId}/policies/${policy.id}/lifecycle/activate`));
    else if (!include.includes(authn.value) && !include.includes('ALL_CLIENTS')) {
      out.push(fail(3, 'audit.policy', TP, `${label} does not include ${named('AUTHN_CLIENT_ID', authn)} (it lists ${include.join(', ') || 'no client'})`, `${RERUN_POLICY} (if Anypoint registered a new client, first set AUTHN_CLIENT_ID to it)`));
    } else out.push(pass(3, 'audit.policy', TP, `${label} ACTIVE, clients ${include.join(', ')}`));
  }

  // Rules
  const rules = serverId && policy ? await ctx.api.list<RuleObj>(`${AS}/${serverId}/policies/${policy.id}/rules`) : undefined;
  for (const lv of LEVELS) out.push(ruleCheck(ctx, lv, rules, policy));
  out.push(ruleOrderCheck(ctx, rules, policy));

  // The app client: assignment, redirect URI
  out.push(...(await clientChecks(ctx)));
  return out;
}

async function userCheck(ctx: VerifyContext, lv: Level): Promise<CheckResult> {
  const L = ctx.values[lv];
  const U = lv.toUpperCase();
  const T = `the ${lv} user is ACTIVE and in the ${lv} group`;
  const ref = L.userId?.value ?? L.username?.value;
  if (!ref) return fail(3, `audit.user.${lv}`, T, `neither ${U}_USER nor ${U}_USERNAME is in the output files or .env`, RERUN);
  const user = await getOrUndefined<UserObj>(ctx.api, `/api/v1/users/${encodeURIComponent(ref)}`);
  if (!user) return fail(3, `audit.user.${lv}`, T, `the ${lv} user ${ref} (from ${(L.userId ?? L.username)!.source}) does not exist`, RERUN);
  const groups = await ctx.api.list<GroupObj>(`/api/v1/users/${user.id}/groups`);
  ctx.users[lv] = { user, groups };
  const login = user.profile?.login ?? ref;
  if (user.status !== 'ACTIVE') return fail(3, `audit.user.${lv}`, T, `the ${lv} user ${login} (${user.id}) is ${user.status}`, `activate it: POST /api/v1/users/${user.id}/lifecycle/activate?sendEmail=false (or unsuspend/unlock it in the Admin Console)`);
  if (!L.groupId) return fail(3, `audit.user.${lv}`, T, `${U}_GROUP_ID is not in the output files`, RERUN);
  if (!groups.some((g) => g.id === L.groupId!.value)) {
    const group = await getOrUndefined<GroupObj>(ctx.api, `/api/v1/groups/${encodeURIComponent(L.groupId.value)}`);
    if (!group) return fail(3, `audit.user.${lv}`, T, `the ${lv} group ${named(`${U}_GROUP_ID`, L.groupId)} does not exist`, RERUN);
    return fail(3, `audit.user.${lv}`, T, `${lv} user ${login} (${user.id}) is not in group ${groupLabel(L, [group])} (member of: ${groups.map((g) => g.profile?.name).join(', ') || 'none'})`, `add with PUT /api/v1/groups/${group.id}/users/${user.id} or ${RERUN}`);
  }
  return pass(3, `audit.user.${lv}`, T, `${login} ACTIVE, in ${groupLabel(L, groups)}`);
}

function ruleCheck(ctx: VerifyContext, lv: Level, rules: RuleObj[] | undefined, policy: PolicyObj | undefined): CheckResult {
  const L = ctx.values[lv];
  const T = `the ${lv} rule is ACTIVE with the ${lv} group, authorization_code and its scopes`;
  const id = `audit.rule.${lv}`;
  if (!rules || !policy) return skip(3, id, T, 'no access policy to read rules from (audit.policy)');
  const rule = (L.ruleId && rules.find((r) => r.id === L.ruleId!.value)) || rules.find((r) => r.name === L.ruleName);
  const base = `${AS}/${ctx.server!.id}/policies/${policy.id}/rules`;
  if (!rule) return fail(3, id, T, `policy "${policy.name}" has no rule ${L.ruleId ? `${L.ruleId.value} or ` : ''}named "${L.ruleName}" (rules: ${rules.map((r) => `"${r.name}"`).join(', ') || 'none'})`, RERUN_POLICY);
  const label = `rule "${rule.name}" (${rule.id})`;
  if (rule.status !== 'ACTIVE') return fail(3, id, T, `${label} is ${rule.status}: nobody gets the ${lv} scope through it`, `activate it: POST ${base}/${rule.id}/lifecycle/activate, or ${RERUN_POLICY}`);
  const groups = rule.conditions?.people?.groups?.include ?? [];
  const problems: string[] = [];
  if (L.groupId && !groups.includes(L.groupId.value) && !groups.includes('EVERYONE')) {
    problems.push(`its groups are ${groups.join(', ') || 'none'}, not the ${lv} group ${groupLabel(L, ctx.users[lv]?.groups)}`);
  }
  const grants = rule.conditions?.grantTypes?.include ?? [];
  if (!grants.includes('authorization_code')) problems.push(`its grant types are ${grants.join(', ') || 'none'}, without authorization_code`);
  const allowed = rule.conditions?.scopes?.include ?? [];
  const missing = requestedScopes(ctx, lv).filter((s) => !allowed.includes(s) && !allowed.includes('*'));
  if (missing.length) problems.push(`its scopes are ${allowed.join(', ') || 'none'}, without ${missing.join(', ')}`);
  if (problems.length) return fail(3, id, T, `${label}: ${problems.join('; ')}`, `${RERUN_POLICY}, or fix the rule with PUT ${base}/${rule.id}`);
  return pass(3, id, T, `${label} ACTIVE, priority ${rule.priority}, scopes ${allowed.join(' ')}`);
}

/**
 * "Sensible priority": rules are tried in priority order and the first whose grant type, people and (any
 * requested) scope match answers. If a rule that grants less comes first and also matches a user (the gold
 * user is usually in the silver group too), that user never gets the scopes of their own rule.
 */
function ruleOrderCheck(ctx: VerifyContext, rules: RuleObj[] | undefined, policy: PolicyObj | undefined): CheckResult {
  const T = 'rule priorities let each user reach their own rule';
  if (!rules || !policy) return skip(3, 'audit.rule.order', T, 'no access policy to read rules from (audit.policy)');
  const problems: string[] = [];
  const fixes: string[] = [];
  const details: string[] = [];
  for (const lv of LEVELS) {
    const u = ctx.users[lv];
    if (!u) continue;
    const groupIds = new Set([...u.groups.map((g) => g.id), 'EVERYONE']);
    const requested = requestedScopes(ctx, lv);
    const matches = (r: RuleObj): boolean => {
      const c = r.conditions ?? {};
      if (!(c.grantTypes?.include ?? []).includes('authorization_code')) return false;
      if (c.people?.users?.exclude?.includes(u.user.id) || c.people?.groups?.exclude?.some((g) => groupIds.has(g))) return false;
      if (!(c.people?.users?.include?.includes(u.user.id) || c.people?.groups?.include?.some((g) => groupIds.has(g)))) return false;
      const allowed = c.scopes?.include ?? [];
      return allowed.includes('*') || requested.some((s) => allowed.includes(s));
    };
    const own = rules.find((r) => r.id === ctx.values[lv].ruleId?.value) ?? rules.find((r) => r.name === ctx.values[lv].ruleName);
    // Only an ordering problem when the user's own rule is ACTIVE and would match them: a missing membership,
    // an inactive rule or a wrong scope list is reported by audit.user.* / audit.rule.* instead.
    if (!own || own.status !== 'ACTIVE' || !matches(own)) continue;
    const first = byPriority(rules.filter((r) => r.status === 'ACTIVE')).find(matches)!;
    details.push(`${lv} → "${first.name}" (priority ${first.priority})`);
    if (first.id === own.id) continue;
    const allowed = first.conditions?.scopes?.include ?? [];
    const lacking = requested.filter((s) => !allowed.includes(s) && !allowed.includes('*'));
    if (lacking.length) {
      problems.push(`rule "${first.name}" (priority ${first.priority}) comes before "${own.name}" (priority ${own.priority}) and also matches the ${lv} user, so they never get ${lacking.join(' ')}`);
      fixes.push(`give "${own.name}" a lower priority number than "${first.name}": PUT ${AS}/${ctx.server!.id}/policies/${policy.id}/rules/${own.id} with "priority": ${Math.max(1, (first.priority ?? 1))}`);
    }
  }
  if (problems.length) {
    return fail(3, 'audit.rule.order', T, problems.join('; '), `${fixes.join('; ')}, or ${RERUN_POLICY}`);
  }
  return pass(3, 'audit.rule.order', T, details.join('; ') || 'no user to evaluate');
}

interface AppObj {
  id: string;
  label?: string;
  status?: string;
  settings?: { oauthClient?: { redirect_uris?: string[] } };
}

async function clientChecks(ctx: VerifyContext): Promise<CheckResult[]> {
  const v = ctx.values;
  const TA = 'the AUTHN client is assigned to the users\' groups (or Everyone)';
  const TR = 'REDIRECT_URI is among the AUTHN client\'s redirect URIs';
  const TO = 'REDIRECT_URI\'s origin is a trusted origin';
  const out: CheckResult[] = [];
  const app = v.authnClientId ? await getOrUndefined<AppObj>(ctx.api, `/api/v1/apps/${encodeURIComponent(v.authnClientId.value)}`) : undefined;
  if (!v.authnClientId || !app) {
    const cause = v.authnClientId ? `${named('AUTHN_CLIENT_ID', v.authnClientId)} is not a client of ${ctx.orgUrl}` : 'AUTHN_CLIENT_ID is not set';
    const fix = 'run `okta-bootstrap register-client … --write-env`, or copy the client id Anypoint registered into .env as AUTHN_CLIENT_ID';
    out.push(fail(3, 'audit.assignment', TA, cause, fix), fail(3, 'audit.redirect_uri', TR, cause, fix));
  } else {
    const assigned = await ctx.api.list<{ id: string }>(`/api/v1/apps/${app.id}/groups`);
    const everyone = (await ctx.api.list<GroupObj>('/api/v1/groups', { q: 'Everyone' })).find((g) => g.type === 'BUILT_IN' || g.profile?.name === 'Everyone');
    const assignedIds = new Set(assigned.map((a) => a.id));
    const viaEveryone = everyone !== undefined && assignedIds.has(everyone.id);
    const unassigned: string[] = [];
    const how: string[] = [];
    for (const lv of LEVELS) {
      const u = ctx.users[lv];
      if (!u || viaEveryone) continue;
      if (!u.groups.some((g) => assignedIds.has(g.id))) {
        unassigned.push(`${lv} user ${u.user.profile?.login} (groups: ${u.groups.map((g) => g.profile?.name).join(', ') || 'none'})`);
        const gid = ctx.values[lv].groupId?.value;
        if (gid) how.push(`PUT /api/v1/apps/${app.id}/groups/${gid}`);
      }
    }
    if (unassigned.length) {
      out.push(fail(3, 'audit.assignment', TA, `client "${app.label}" (${app.id}) is not assigned to any group of the ${unassigned.join('; ')}: Okta answers "User is not assigned to the client application."`, `assign it: ${[...new Set(how)].join(', ') || `PUT /api/v1/apps/${app.id}/groups/{groupId}`} (or to Everyone), or ${RERUN_POLICY}`));
    } else {
      out.push(pass(3, 'audit.assignment', TA, viaEveryone ? `"${app.label}" is assigned to Everyone` : `"${app.label}" assigned to ${assigned.length} group(s) covering both users`));
    }
    const uris = app.settings?.oauthClient?.redirect_uris ?? [];
    if (!v.redirectUri) out.push(fail(3, 'audit.redirect_uri', TR, 'REDIRECT_URI is not set', RERUN));
    else if (!uris.includes(v.redirectUri.value)) {
      out.push(fail(3, 'audit.redirect_uri', TR, `${named('REDIRECT_URI', v.redirectUri)} is not a redirect URI of client "${app.label}" (${app.id}); it has ${uris.join(', ') || 'none'}`, `add it to the client (Admin Console → Applications → ${app.label} → Sign-in redirect URIs) or register the client with --redirect-uri ${v.redirectUri.value}`));
    } else out.push(pass(3, 'audit.redirect_uri', TR, v.redirectUri.value));
  }

  if (!v.redirectUri) out.push(fail(3, 'audit.trusted_origin', TO, 'REDIRECT_URI is not set', RERUN));
  else {
    let origin: string;
    try {
      origin = new URL(v.redirectUri.value).origin;
    } catch {
      out.push(fail(3, 'audit.trusted_origin', TO, `${named('REDIRECT_URI', v.redirectUri)} is not a URL`, 'set REDIRECT_URI to the app\'s URL, e.g. http://localhost:8080'));
      return out;
    }
    const origins = await ctx.api.list<{ id: string; name?: string; origin?: string; status?: string; scopes?: { type?: string }[] }>('/api/v1/trustedOrigins');
    const found = origins.find((o) => o.origin && strip(o.origin) === origin);
    if (!found) {
      out.push(fail(3, 'audit.trusted_origin', TO, `${origin} (from REDIRECT_URI, ${v.redirectUri.source}) is not a trusted origin of ${ctx.orgUrl}`, `${RERUN_POLICY}, or POST /api/v1/trustedOrigins {"name":"${origin}","origin":"${origin}","scopes":[{"type":"CORS"},{"type":"REDIRECT"}]}`));
    } else if (found.status !== 'ACTIVE') {
      out.push(fail(3, 'audit.trusted_origin', TO, `trusted origin "${found.name}" (${found.id}) for ${origin} is ${found.status}`, `activate it: POST /api/v1/trustedOrigins/${found.id}/lifecycle/activate`));
    } else {
      out.push(pass(3, 'audit.trusted_origin', TO, `${origin} (${(found.scopes ?? []).map((s) => s.type).join(', ')})`));
    }
  }
  return out;
}
