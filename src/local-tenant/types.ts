/**
 * Typed state of the local Okta tenant and the public types of its programmatic API.
 *
 * The state is one JSON document (persisted by store.ts). Every record keeps only the fields the
 * tenant accepts; responses are rendered from records by the route modules (nothing that depends on
 * the org URL, such as `issuer` or `_links`, is stored, so a restart on another port stays correct).
 * `oauth` belongs to the OAuth part of the tenant (src/local-tenant/oauth/): this module keeps it
 * opaque and only persists it.
 */

import type { RateLimitsOption } from './steps/rate-limit.js';

export type LifecycleStatus = 'ACTIVE' | 'INACTIVE';
export type UserStatus = 'STAGED' | 'PROVISIONED' | 'ACTIVE' | 'DEPROVISIONED' | 'SUSPENDED' | 'LOCKED_OUT' | 'PASSWORD_EXPIRED' | 'RECOVERY';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };
export type JsonObject = { [k: string]: JsonValue };

export interface ScopeRecord {
  id: string;
  name: string;
  description?: string;
  displayName?: string;
  consent: 'FLEXIBLE' | 'IMPLICIT' | 'REQUIRED';
  default: boolean;
  optional: boolean;
  system: boolean;
  metadataPublish: 'ALL_CLIENTS' | 'NO_CLIENTS';
  created: string;
  lastUpdated: string;
}

export interface ClaimRecord {
  id: string;
  name: string;
  status: LifecycleStatus;
  claimType: 'IDENTITY' | 'RESOURCE';
  valueType: 'EXPRESSION' | 'GROUPS' | 'SYSTEM';
  value: string;
  group_filter_type?: 'CONTAINS' | 'EQUALS' | 'REGEX' | 'STARTS_WITH';
  alwaysIncludeInToken: boolean;
  conditions: { scopes: string[] };
  system: boolean;
  created: string;
  lastUpdated: string;
}

export interface IncludeExclude {
  include: string[];
  /** Only kept (and echoed) when the client sent it: the spec's schema declares `include` only. */
  exclude?: string[];
}

export interface RuleRecord {
  id: string;
  name: string;
  type: 'RESOURCE_ACCESS';
  status: LifecycleStatus;
  priority: number;
  system: boolean;
  conditions: {
    people: { users?: IncludeExclude; groups?: IncludeExclude };
    grantTypes: { include: string[] };
    scopes: { include: string[] };
  };
  actions: {
    token: {
      accessTokenLifetimeMinutes: number;
      refreshTokenLifetimeMinutes: number;
      refreshTokenWindowMinutes: number;
      inlineHook?: { id: string };
    };
  };
  created: string;
  lastUpdated: string;
}

export interface PolicyRecord {
  id: string;
  name: string;
  description?: string;
  type: 'OAUTH_AUTHORIZATION_POLICY';
  status: LifecycleStatus;
  priority: number;
  system: boolean;
  conditions: { clients: { include: string[] } };
  rules: Record<string, RuleRecord>;
  created: string;
  lastUpdated: string;
}

export interface AuthServerRecord {
  /** A real `aus…` id, the default server's too. */
  id: string;
  /** Only on the org's default server: `default`, the alias paths may use instead of the id, and the last segment
   *  of its issuer (store.ts, DEFAULT_AUTH_SERVER_ALIAS). */
  alias?: string;
  name: string;
  description?: string;
  audiences: string[];
  issuerMode: 'ORG_URL' | 'DYNAMIC';
  status: LifecycleStatus;
  /** The `kid` of the server's signing key. The OAuth part signs tokens with a key of this kid. */
  kid: string;
  lastRotated: string;
  created: string;
  lastUpdated: string;
  scopes: Record<string, ScopeRecord>;
  claims: Record<string, ClaimRecord>;
  policies: Record<string, PolicyRecord>;
}

export interface GroupRecord {
  id: string;
  type: 'OKTA_GROUP' | 'BUILT_IN' | 'APP_GROUP';
  profile: { name: string; description?: string };
  created: string;
  lastUpdated: string;
  lastMembershipUpdated: string;
}

export interface UserRecord {
  id: string;
  status: UserStatus;
  profile: JsonObject & { login: string; email: string; firstName?: string | null; lastName?: string | null };
  /** scrypt hash (see password.ts); never the password itself. */
  passwordHash?: string;
  recoveryQuestion?: { question: string; answerHash: string };
  /** Groups the user was added to; the built-in Everyone group is implicit. */
  groupIds: string[];
  created: string;
  activated: string | null;
  statusChanged: string | null;
  lastLogin: string | null;
  lastUpdated: string;
  passwordChanged: string | null;
  /** Tenant-only, never rendered: the factor step /api/v1/authn answers for this user after a right password
   *  (set with PUT /local-tenant/users/{id}/authn-challenge; authn/authn.ts). */
  authnChallenge?: 'MFA_REQUIRED' | 'MFA_ENROLL';
}

export interface AppGroupAssignmentRecord {
  groupId: string;
  priority: number;
  profile: JsonObject;
  lastUpdated: string;
}

/** An OIDC app; every app here was made by dynamic client registration (or is one the OAuth part adds). */
export interface AppRecord {
  id: string;
  label: string;
  status: 'ACTIVE' | 'INACTIVE';
  applicationType: 'web' | 'native' | 'browser' | 'service';
  redirectUris: string[];
  postLogoutRedirectUris?: JsonValue;
  responseTypes: string[];
  grantTypes: string[];
  tokenEndpointAuthMethod: string;
  /** Kept retrievable (Okta can show a client secret to an admin); the state file is mode 0600. */
  clientSecret?: string;
  clientIdIssuedAt: number;
  /** Optional RFC 7591 metadata the client sent (logo_uri, policy_uri, jwks, ...), echoed back on DCR reads. */
  metadata: JsonObject;
  groupAssignments: Record<string, AppGroupAssignmentRecord>;
  created: string;
  lastUpdated: string;
}

export interface TrustedOriginRecord {
  id: string;
  name: string;
  origin: string;
  scopes: { type: 'CORS' | 'REDIRECT' | 'IFRAME_EMBED'; allowedOktaApps?: string[] }[];
  status: LifecycleStatus;
  created: string;
  createdBy: string;
  lastUpdated: string;
  lastUpdatedBy: string;
}

/** Owned by the OAuth part of the tenant (src/local-tenant/oauth/state.ts may narrow it); persisted as is. */
export type OAuthState = Record<string, unknown>;

export interface TenantState {
  version: 1;
  /** The SSWS API token of this org, generated on first start. */
  apiToken: string;
  /** The org URL the tenant last served at (for `local info` and ensureLocalTenant). */
  orgUrl?: string;
  created: string;
  /** The id of the admin that "created" objects (createdBy fields); not a listed user. */
  adminUserId: string;
  /** The default user type id (`type.id` of users). */
  userTypeId: string;
  everyoneGroupId: string;
  authorizationServers: Record<string, AuthServerRecord>;
  groups: Record<string, GroupRecord>;
  users: Record<string, UserRecord>;
  apps: Record<string, AppRecord>;
  trustedOrigins: Record<string, TrustedOriginRecord>;
  oauth: OAuthState;
}

/** One spec violation found by the specCheck step (the shape is src/spec/validator.ts's). */
export type { Violation } from '../spec/validator.js';
import type { Violation } from '../spec/validator.js';

export interface RequestLogEntry {
  method: string;
  /** Path without the query string (query strings may carry secrets). */
  path: string;
  status: number;
  ms: number;
  /** ISO time the request arrived. */
  at: string;
  violations?: Violation[];
  /** Free-form notes steps add (e.g. "fault injected", "rate limited"). */
  notes?: string[];
}

export interface LocalTenantOptions {
  /** 0 picks a free port. Default 7777. */
  port?: number;
  host?: string;
  /** Without it the tenant keeps its state in memory only. */
  statePath?: string;
  /** Added latency per request, ms. */
  latencyMs?: number;
  /** 'developer' | 'none' (the default here: no limits, no headers) | a path to a JSON file of limits |
   *  a config object (steps/rate-limit.ts `RateLimitConfig`). */
  rateLimits?: RateLimitsOption;
  /** The tenant's clock, ms since the epoch (default Date.now): rate-limit windows, token and session lifetimes,
   *  and the timestamps the tenant writes (created, lastUpdated, …). Tests inject one to jump past a reset. */
  clock?: () => number;
  /** Probability 0..1 of an injected failure. */
  failRate?: number;
  /** Seed for every random choice a step makes (faults, jitter). */
  seed?: number;
  /** One line per request on stderr. */
  log?: boolean;
  /** Validate every request and response body against the spec fixture; violations go on the log entry. */
  specCheck?: boolean;
  /** The org's name on the hosted sign-in, consent and error pages. Default "okta-bootstrap local tenant". */
  orgName?: string;
  /** Largest accepted request body, bytes. Default 1 MiB. */
  bodyLimit?: number;
  /** How long a write that sets a policy or rule priority holds its server or policy at least, ms (default 25);
   *  another priority write there meanwhile answers 500 E0000009 (routes/priority-writes.ts). */
  priorityWriteMs?: number;
}

export interface LocalTenant {
  orgUrl: string;
  apiToken: string;
  requestLog: RequestLogEntry[];
  close: () => Promise<void>;
}
