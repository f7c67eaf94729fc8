/**
 * The classes that live under an authorization server, each found in ONE listing of its parent:
 * - okta:scope        /api/v1/authorizationServers/{authServerId}/scopes          natural key `name`
 * - okta:claim        /api/v1/authorizationServers/{authServerId}/claims          natural key `name`
 * - okta:oauth_policy /api/v1/authorizationServers/{authServerId}/policies        natural key `name`
 * - okta:rule         /api/v1/authorizationServers/{authServerId}/policies/{policyId}/rules   natural key `name`
 * Parents come from the entry's rendered oktaEndpoint (e.g. ".../authorizationServers/aus1/policies/00p2/rules").
 *
 * `priority` of policies and rules never counts as a difference field by field: Okta renumbers priorities to 1..n
 * (and when two objects ask for the same one, the legacy inputs give both rules priority 1), so the numbers cannot
 * match the input. The engine compares the relative order of the siblings the input defines instead, and writes
 * them one after another (src/apply/priority.ts). `system` is Okta's (true for the objects Okta made).
 */
import { listedHandler, need } from './common.js';

const AS = '/api/v1/authorizationServers/aus…';

export const scopeHandler = listedHandler({
  objectClass: 'okta:scope',
  destroyRank: 2,
  keyField: 'name',
  collection: (parent) => `/api/v1/authorizationServers/${need(parent, 'authServerId', 'okta:scope', `${AS}/scopes`)}/scopes`,
  writable: ['name', 'description', 'displayName', 'consent', 'default', 'optional', 'metadataPublish'],
  ignore: ['system'],
  listQuery: { limit: 200 },
});

export const claimHandler = listedHandler({
  objectClass: 'okta:claim',
  destroyRank: 2,
  keyField: 'name',
  collection: (parent) => `/api/v1/authorizationServers/${need(parent, 'authServerId', 'okta:claim', `${AS}/claims`)}/claims`,
  writable: ['name', 'status', 'claimType', 'valueType', 'value', 'group_filter_type', 'alwaysIncludeInToken', 'conditions'],
  ignore: ['system'],
});

export const policyHandler = listedHandler({
  objectClass: 'okta:oauth_policy',
  destroyRank: 1,
  keyField: 'name',
  collection: (parent) => `/api/v1/authorizationServers/${need(parent, 'authServerId', 'okta:oauth_policy', `${AS}/policies`)}/policies`,
  writable: ['type', 'name', 'description', 'priority', 'status', 'conditions'],
  ignore: ['system', 'priority'],
});

export const ruleHandler = listedHandler({
  objectClass: 'okta:rule',
  destroyRank: 0,
  keyField: 'name',
  collection: (parent) =>
    `/api/v1/authorizationServers/${need(parent, 'authServerId', 'okta:rule', `${AS}/policies/00p…/rules`)}/policies/${need(parent, 'policyId', 'okta:rule', `${AS}/policies/00p…/rules`)}/rules`,
  writable: ['type', 'name', 'priority', 'status', 'conditions', 'actions'],
  ignore: ['system', 'priority'],
});
