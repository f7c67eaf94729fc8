/**
 * Test support for the local tenant's OAuth part: builds org objects straight into a tenant store (the unit tests
 * of the OAuth endpoints need no HTTP). Integration tests create objects through the management API instead.
 */
import { hashSecret } from '../../src/local-tenant/password.js';
import { findAuthServer, type TenantStore } from '../../src/local-tenant/store.js';
import type { AppRecord, AuthServerRecord, PolicyRecord, RuleRecord, TenantState, UserRecord } from '../../src/local-tenant/types.js';

const NOW = '2026-01-01T00:00:00.000Z';
/** scrypt is slow on purpose: hash each test password once per process. */
const hashes = new Map<string, string>();

/** The server `serverId` names: an id, or `default` (the default server's alias, as in Okta's paths). */
function serverOf(s: TenantState, serverId: string): AuthServerRecord {
  const server = findAuthServer(s, serverId);
  if (!server) throw new Error(`no authorization server ${serverId} in the test store`);
  return server;
}

export async function addUser(store: TenantStore, id: string, login: string, password: string, groupIds: string[] = [], status: UserRecord['status'] = 'ACTIVE'): Promise<void> {
  let passwordHash = hashes.get(password);
  if (!passwordHash) hashes.set(password, (passwordHash = await hashSecret(password)));
  await store.mutate((s) => {
    s.users[id] = {
      id, status, profile: { login, email: login, firstName: 'Test', lastName: id }, passwordHash, groupIds,
      created: NOW, activated: NOW, statusChanged: NOW, lastLogin: null, lastUpdated: NOW, passwordChanged: NOW,
    };
  });
}

export async function addGroup(store: TenantStore, id: string, name: string): Promise<void> {
  await store.mutate((s) => {
    s.groups[id] = { id, type: 'OKTA_GROUP', profile: { name }, created: NOW, lastUpdated: NOW, lastMembershipUpdated: NOW };
  });
}

export async function addApp(store: TenantStore, id: string, over: Partial<AppRecord> = {}, assignedGroups: string[] = []): Promise<void> {
  await store.mutate((s) => {
    const app: AppRecord = {
      id, label: id, status: 'ACTIVE', applicationType: 'web', redirectUris: ['http://localhost/cb'], responseTypes: ['code'],
      grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'], tokenEndpointAuthMethod: 'client_secret_basic',
      clientSecret: `${id}-secret`, clientIdIssuedAt: 0, metadata: {}, groupAssignments: {}, created: NOW, lastUpdated: NOW, ...over,
    };
    for (const g of assignedGroups) app.groupAssignments[g] = { groupId: g, priority: 0, profile: {}, lastUpdated: NOW };
    s.apps[id] = app;
  });
}

export async function addScopes(store: TenantStore, serverId: string, names: string[]): Promise<void> {
  await store.mutate((s) => {
    const server = serverOf(s, serverId);
    for (const name of names) {
      server.scopes[`scp${name}`] = {
        id: `scp${name}`, name, consent: 'IMPLICIT', default: false, optional: false, system: false, metadataPublish: 'NO_CLIENTS', created: NOW, lastUpdated: NOW,
      };
    }
  });
}

export interface RuleSpec {
  id: string;
  priority?: number;
  status?: 'ACTIVE' | 'INACTIVE';
  groups?: string[];
  users?: string[];
  grants?: string[];
  scopes?: string[];
  minutes?: number;
}

export async function addPolicy(store: TenantStore, serverId: string, p: { id: string; clients: string[]; priority?: number; status?: 'ACTIVE' | 'INACTIVE'; rules: RuleSpec[] }): Promise<void> {
  const rules: Record<string, RuleRecord> = {};
  for (const r of p.rules) {
    rules[r.id] = {
      id: r.id, name: r.id, type: 'RESOURCE_ACCESS', status: r.status ?? 'ACTIVE', priority: r.priority ?? 1, system: false,
      conditions: {
        people: { groups: { include: r.groups ?? ['EVERYONE'] }, users: { include: r.users ?? [] } },
        grantTypes: { include: r.grants ?? ['authorization_code', 'client_credentials', 'password'] },
        scopes: { include: r.scopes ?? ['*'] },
      },
      actions: { token: { accessTokenLifetimeMinutes: r.minutes ?? 60, refreshTokenLifetimeMinutes: 0, refreshTokenWindowMinutes: 10080 } },
      created: NOW, lastUpdated: NOW,
    };
  }
  const policy: PolicyRecord = {
    id: p.id, name: p.id, type: 'OAUTH_AUTHORIZATION_POLICY', status: p.status ?? 'ACTIVE', priority: p.priority ?? 1, system: false,
    conditions: { clients: { include: p.clients } }, rules, created: NOW, lastUpdated: NOW,
  };
  await store.mutate((s) => {
    serverOf(s, serverId).policies[p.id] = policy;
  });
}
