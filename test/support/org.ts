/**
 * Reads the org through the official Okta SDK (typed APIs), never through our own code, so that
 * end-to-end tests check what Okta (here: the local tenant) really holds.
 */
import okta from '@okta/okta-sdk-nodejs';

export type Sdk = InstanceType<typeof okta.Client>;

export function sdkClient(orgUrl: string, token: string): Sdk {
  // cacheMiddleware: null: the SDK caches GETs by default, which would hide changes between reads.
  return new okta.Client({ orgUrl, token, cacheMiddleware: null });
}

async function all<T>(collection: Promise<AsyncIterable<T | null>> | AsyncIterable<T | null>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of await collection) if (item) out.push(item);
  return out;
}

export interface RuleSnap { name: string; status: string; priority: number; groups: string[]; users: string[]; grantTypes: string[]; scopes: string[] }
export interface PolicySnap { name: string; status: string; clients: string[]; rules: RuleSnap[] }
/** `scopes`: the custom (non-system) scope names; `systemScopes`: the ones Okta creates with every server (openid, …). */
export interface ServerSnap { id: string; isDefault: boolean; name: string; status: string; audiences: string[]; scopes: string[]; systemScopes: string[]; claims: string[]; policies: PolicySnap[] }
export interface OrgSnapshot {
  servers: ServerSnap[];
  groups: { id: string; name: string; type: string; members: string[] }[];
  users: { id: string; login: string; status: string; groups: string[] }[];
  apps: { id: string; label: string; status: string; groups: string[]; redirectUris: string[] }[];
  trustedOrigins: { origin: string; scopes: string[]; status: string }[];
}

/** Everything okta-bootstrap can create, as plain sorted data (ids of groups replaced by names where useful). */
export async function orgSnapshot(sdk: Sdk): Promise<OrgSnapshot> {
  const asApi = sdk.authorizationServerApi;
  const serversRaw = await all(asApi.listAuthorizationServers());
  // Which server is the org's default: the one the `default` alias names (its id is a real aus id, never `default`)
  const defaultId = await asApi.getAuthorizationServer({ authServerId: 'default' }).then((d) => d.id, () => undefined);
  const groupsRaw = await all(sdk.groupApi.listGroups());
  const groupName = new Map(groupsRaw.map((g) => [g.id!, g.profile!.name!]));
  const servers: ServerSnap[] = [];
  for (const s of serversRaw) {
    const scopes = await all(asApi.listOAuth2Scopes({ authServerId: s.id! }));
    const claims = await all(asApi.listOAuth2Claims({ authServerId: s.id! }));
    const policiesRaw = await all(asApi.listAuthorizationServerPolicies({ authServerId: s.id! }));
    const policies: PolicySnap[] = [];
    for (const p of policiesRaw) {
      const rulesRaw = await all(asApi.listAuthorizationServerPolicyRules({ authServerId: s.id!, policyId: p.id! }));
      policies.push({
        name: p.name!,
        status: String(p.status),
        clients: [...(p.conditions?.clients?.include ?? [])].sort(),
        rules: rulesRaw
          .map((r) => ({
            name: r.name!,
            status: String(r.status),
            priority: r.priority ?? 0,
            groups: (r.conditions?.people?.groups?.include ?? []).map((g) => groupName.get(g) ?? g).sort(),
            users: [...(r.conditions?.people?.users?.include ?? [])].sort(),
            grantTypes: [...(r.conditions?.grantTypes?.include ?? [])].map(String).sort(),
            scopes: [...(r.conditions?.scopes?.include ?? [])].sort(),
          }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      });
    }
    servers.push({
      id: s.id!,
      isDefault: s.id === defaultId,
      name: s.name!,
      status: String(s.status),
      audiences: [...(s.audiences ?? [])],
      scopes: scopes.filter((x) => !x.system).map((x) => x.name).sort(),
      systemScopes: scopes.filter((x) => x.system).map((x) => x.name).sort(),
      claims: claims.map((x) => x.name!).sort(),
      policies: policies.sort((a, b) => a.name.localeCompare(b.name)),
    });
  }
  const groups = [];
  for (const g of groupsRaw) {
    const members = await all(sdk.groupApi.listGroupUsers({ groupId: g.id! }));
    groups.push({ id: g.id!, name: g.profile!.name!, type: String(g.type), members: members.map((u) => u.profile!.login!).sort() });
  }
  const usersRaw = await all(sdk.userApi.listUsers());
  const users = [];
  for (const u of usersRaw) {
    const ug = await all(sdk.userApi.listUserGroups({ userId: u.id! }));
    users.push({ id: u.id!, login: u.profile!.login!, status: String(u.status), groups: ug.map((g) => g.profile!.name!).sort() });
  }
  const appsRaw = await all(sdk.applicationApi.listApplications());
  const apps = [];
  for (const a of appsRaw) {
    const assigned = await all(sdk.applicationApi.listApplicationGroupAssignments({ appId: a.id! }));
    const settings = (a as unknown as { settings?: { oauthClient?: { redirect_uris?: string[] } } }).settings;
    apps.push({
      id: a.id!,
      label: a.label,
      status: String(a.status),
      groups: assigned.map((x) => groupName.get(x.id!) ?? x.id!).sort(),
      redirectUris: [...(settings?.oauthClient?.redirect_uris ?? [])],
    });
  }
  const origins = await all(sdk.trustedOriginApi.listTrustedOrigins());
  return {
    servers: servers.sort((a, b) => a.name.localeCompare(b.name)),
    groups: groups.sort((a, b) => a.name.localeCompare(b.name)),
    users: users.sort((a, b) => a.login.localeCompare(b.login)),
    apps: apps.sort((a, b) => a.label.localeCompare(b.label)),
    trustedOrigins: origins
      .map((o) => ({ origin: o.origin!, scopes: (o.scopes ?? []).map((s) => String(s.type)).sort(), status: String(o.status) }))
      .sort((a, b) => a.origin.localeCompare(b.origin)),
  };
}
