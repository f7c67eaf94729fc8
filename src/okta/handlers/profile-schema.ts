/**
 * Profile attributes Okta accepts without a schema change: the base user profile and the base group profile.
 * Okta refuses any other attribute with 400 E0000001 ("Property name '…' is not defined in profile") until it is
 * added to the org's profile schema: "you must first add the properties to the group profile schema before you can
 * reference them" (OktaUserGroupProfile, https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Group/);
 * the user profile's base properties are the spec's UserProfile
 * (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/).
 *
 * The tool does not manage profile schemas, so a body with another attribute fails the plan (exit 2, before any
 * write) naming the entry and the attribute. Choice: refuse rather than add the attribute to the schema, because a
 * schema change is org-wide (every user or group gets the attribute), needs the Schemas API's own permission, and
 * cannot be undone per run; none of the built-in or legacy inputs uses one.
 */
import type { BodyProblem, Obj } from './types.js';
import { isRecord } from '../../core/json.js';

export const USER_BASE_ATTRIBUTES: ReadonlySet<string> = new Set([
  'login', 'email', 'secondEmail', 'firstName', 'lastName', 'middleName', 'honorificPrefix', 'honorificSuffix', 'title',
  'displayName', 'nickName', 'profileUrl', 'primaryPhone', 'mobilePhone', 'streetAddress', 'city', 'state', 'zipCode',
  'countryCode', 'postalAddress', 'preferredLanguage', 'locale', 'timezone', 'userType', 'employeeNumber', 'costCenter',
  'organization', 'division', 'department', 'managerId', 'manager',
]);

export const GROUP_BASE_ATTRIBUTES: ReadonlySet<string> = new Set(['name', 'description']);

/** One problem per `profile` attribute that the base profile does not define. */
export function customAttributeProblems(body: Obj, base: ReadonlySet<string>, what: 'user' | 'group'): BodyProblem[] {
  const profile = body.profile;
  if (!isRecord(profile)) return [];
  return Object.keys(profile)
    .filter((k) => !base.has(k))
    .map((k) => ({
      path: `profile.${k}`,
      message: `"${k}" is not an attribute of Okta's base ${what} profile; Okta refuses it (400 E0000001 "Property name '${k}' is not defined in profile") unless the org's ${what} profile schema has it`,
      suggestion: `Remove "${k}", or use a base attribute; okta-bootstrap does not change profile schemas (add it first in the Admin Console's Profile Editor or with the Schemas API, https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Schema/).`,
    }));
}
