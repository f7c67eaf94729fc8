/** Group 3, the authorization server's side: scopes, users and their groups, the access policy and its rules. */
import { decide, findPolicy, policyClients, policyIncludesClient, ruleGrantTypes, ruleGroups, ruleIncludesGroup, ruleScopes, scopesNotAllowed, type AccessRule } from '../access-policy.js';
import { named, RERUN, RERUN_POLICY, type GroupObj } from '../context.js';
import { AS, userRef, type OrgSnapshot, type PolicyRead } from '../snapshot.js';
import { failed, passed, skipped, type Verdict } from '../types.js';
import { LEVELS, requestedScopes, type Level, type LevelValues, type VerifyValues } from '../values.js';

export function scopeExists(lv: Level) {
  return (s: OrgSnapshot, v: VerifyValues): Verdict => {
    const want = v[lv].scope;
    const scopes = s.scopes ?? [];
    if (scopes.some((x) => x.name === want.value)) return passed(want.value);
    const serverId = s.server?.id ?? v.serverId?.value;
    return failed(`scope ${want.value} (${lv.toUpperCase()}_SCOPE_NAME, from ${want.source}) is not defined on authorization server ${serverId} (it has: ${scopes.map((x) => x.name).join(', ') || 'none'})`, `${RERUN} to recreate it, or POST ${AS}/${serverId}/scopes {"name":"${want.value}"}`);
  };
}

function groupLabel(L: LevelValues, groups: readonly GroupObj[] = []): string {
  const g = groups.find((x) => x.id === L.groupId?.value);
  const name = g?.profile?.name ?? L.groupName;
  return name ? `${name} (${L.groupId?.value})` : `${L.groupId?.value}`;
}

export function userInGroup(lv: Level) {
  return (s: OrgSnapshot, v: VerifyValues): Verdict => {
    const L = v[lv];
    const U = lv.toUpperCase();
    const ref = userRef(L);
    if (!ref) return failed(`neither ${U}_USER nor ${U}_USERNAME is in the output files or .env`, RERUN);
    const read = s.users[lv];
    const user = read?.user;
    if (!read || !user) return failed(`the ${lv} user ${ref.value} (from ${ref.source}) does not exist`, RERUN);
    const login = user.profile?.login ?? ref.value;
    if (user.status !== 'ACTIVE') return failed(`the ${lv} user ${login} (${user.id}) is ${user.status}`, `activate it: POST /api/v1/users/${user.id}/lifecycle/activate?sendEmail=false (or unsuspend/unlock it in the Admin Console)`);
    if (!L.groupId) return failed(`${U}_GROUP_ID is not in the output files`, RERUN);
    const gid = L.groupId.value;
    if (!read.groups.some((g) => g.id === gid)) {
      const group = read.group;
      if (!group) return failed(`the ${lv} group ${named(`${U}_GROUP_ID`, L.groupId)} does not exist`, RERUN);
      return failed(`${lv} user ${login} (${user.id}) is not in group ${groupLabel(L, [group])} (member of: ${read.groups.map((g) => g.profile?.name).join(', ') || 'none'})`, `add with PUT /api/v1/groups/${group.id}/users/${user.id} or ${RERUN}`);
    }
    return passed(`${login} ACTIVE, in ${groupLabel(L, read.groups)}`);
  };
}

/** The access policy the runs created (recorded id, else the one naming AUTHN_CLIENT_ID), with its rules. */
export function accessPolicyOf(s: OrgSnapshot, v: VerifyValues): PolicyRead | undefined {
  const reads = s.policies ?? [];
  const policy = findPolicy(reads.map((r) => r.policy), { id: v.policyId?.value, clientId: v.authnClientId?.value });
  return reads.find((r) => r.policy === policy);
}

export function policyApplies(s: OrgSnapshot, v: VerifyValues): Verdict {
  const serverId = s.server?.id;
  const authn = v.authnClientId;
  if (!authn) return failed('AUTHN_CLIENT_ID is not set (the client Anypoint registered for the app)', 'run `okta-bootstrap register-client … --write-env` or copy the client id Anypoint shows into .env as AUTHN_CLIENT_ID');
  const policy = accessPolicyOf(s, v)?.policy;
  if (!policy) {
    const names = (s.policies ?? []).map((r) => `"${r.policy.name}"`).join(', ') || 'none';
    return failed(`no access policy on authorization server ${serverId} ${v.policyId ? `has the recorded id ${v.policyId.value} or ` : ''}includes ${named('AUTHN_CLIENT_ID', authn)} (policies: ${names})`, RERUN_POLICY);
  }
  const include = policyClients(policy);
  const label = `policy "${policy.name}" (${policy.id})`;
  if (policy.status !== 'ACTIVE') return failed(`${label} is ${policy.status}`, `activate it: POST ${AS}/${serverId}/policies/${policy.id}/lifecycle/activate`);
  if (!policyIncludesClient(policy, authn.value)) {
    return failed(`${label} does not include ${named('AUTHN_CLIENT_ID', authn)} (it lists ${include.join(', ') || 'no client'})`, `${RERUN_POLICY} (if Anypoint registered a new client, first set AUTHN_CLIENT_ID to it)`);
  }
  return passed(`${label} ACTIVE, clients ${include.join(', ')}`);
}

const NO_POLICY = 'no access policy to read rules from (audit.policy)';

/** The level's own rule: the recorded id, else the rule with the level's name. */
function ownRule(rules: readonly AccessRule[], L: LevelValues): AccessRule | undefined {
  const id = L.ruleId?.value;
  return (id !== undefined ? rules.find((r) => r.id === id) : undefined) ?? rules.find((r) => r.name === L.ruleName);
}

const rulesPath = (s: OrgSnapshot, p: PolicyRead) => `${AS}/${s.server?.id}/policies/${p.policy.id}/rules`;

export function ruleFits(lv: Level) {
  return (s: OrgSnapshot, v: VerifyValues): Verdict => {
    const L = v[lv];
    const read = accessPolicyOf(s, v);
    if (!read) return skipped(NO_POLICY);
    const { policy, rules } = read;
    const rule = ownRule(rules, L);
    const base = rulesPath(s, read);
    if (!rule) return failed(`policy "${policy.name}" has no rule ${L.ruleId ? `${L.ruleId.value} or ` : ''}named "${L.ruleName}" (rules: ${rules.map((r) => `"${r.name}"`).join(', ') || 'none'})`, RERUN_POLICY);
    const label = `rule "${rule.name}" (${rule.id})`;
    if (rule.status !== 'ACTIVE') return failed(`${label} is ${rule.status}: nobody gets the ${lv} scope through it`, `activate it: POST ${base}/${rule.id}/lifecycle/activate, or ${RERUN_POLICY}`);
    const problems: string[] = [];
    if (L.groupId && !ruleIncludesGroup(rule, L.groupId.value)) {
      problems.push(`its groups are ${ruleGroups(rule).join(', ') || 'none'}, not the ${lv} group ${groupLabel(L, s.users[lv]?.groups)}`);
    }
    const grants = ruleGrantTypes(rule);
    if (!grants.includes('authorization_code')) problems.push(`its grant types are ${grants.join(', ') || 'none'}, without authorization_code`);
    const allowed = ruleScopes(rule);
    const missing = scopesNotAllowed(rule, requestedScopes(v, lv));
    if (missing.length) problems.push(`its scopes are ${allowed.join(', ') || 'none'}, without ${missing.join(', ')}`);
    if (problems.length) return failed(`${label}: ${problems.join('; ')}`, `${RERUN_POLICY}, or fix the rule with PUT ${base}/${rule.id}`);
    return passed(`${label} ACTIVE, priority ${rule.priority}, scopes ${allowed.join(' ')}`);
  };
}

/**
 * What Okta decides for each user's authorization request (`decide` in access-policy.ts): the ACTIVE policies
 * for AUTHN_CLIENT_ID by priority, in each the first ACTIVE rule that matches the user and allows every scope
 * they ask for. A user no rule covers gets `access_denied` at /authorize, whatever the order; a rule that
 * covers only part of the request is passed over, so rule order alone never takes scopes away.
 */
export function ruleOrder(s: OrgSnapshot, v: VerifyValues): Verdict {
  const read = accessPolicyOf(s, v);
  const clientId = v.authnClientId?.value;
  if (!read || clientId === undefined) return skipped(NO_POLICY);
  const problems: string[] = [];
  const fixes: string[] = [];
  const details: string[] = [];
  for (const lv of LEVELS) {
    const user = s.users[lv]?.user;
    if (!user) continue;
    const who = { userId: user.id, groupIds: (s.users[lv]?.groups ?? []).map((g) => g.id) };
    const request = { grantType: 'authorization_code', scopes: requestedScopes(v, lv) };
    const decision = decide(s.policies ?? [], clientId, who, request);
    if (decision) {
      const elsewhere = decision.policy.id === read.policy.id ? '' : ` of policy "${decision.policy.name}"`;
      details.push(`${lv} → "${decision.rule.name}" (priority ${decision.rule.priority})${elsewhere}`);
      continue;
    }
    const login = user.profile?.login ?? user.id;
    problems.push(`Okta answers access_denied to the ${lv} user ${login} asking for ${request.scopes.join(' ')}: no ACTIVE rule that matches them allows all of these scopes`);
    const own = ownRule(read.rules, v[lv]);
    fixes.push(own ? `make "${own.name}" match the ${lv} user and allow ${request.scopes.join(' ')} (audit.rule.${lv}, audit.user.${lv})` : `create the ${lv} rule`);
  }
  if (problems.length) return failed(problems.join('; '), `${fixes.join('; ')}, or ${RERUN_POLICY}`);
  return passed(details.join('; ') || 'no user to evaluate');
}
