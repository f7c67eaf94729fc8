/**
 * The profile schemas of the tenant: Okta's base user and group profiles, with no custom properties. The tenant
 * serves no Schemas API, so it cannot be extended; an attribute outside the base profile is refused as Okta
 * refuses one that is not in the org's schema: 400 E0000001 with one errorCause per property, "Property name
 * 'costCentre' is not defined in profile" (the text Okta answers, e.g. pulumi/pulumi-okta issue #388: "Api
 * validation failed: newUser. Causes: errorSummary: Property name 'customProperty' is not defined in profile").
 * Sources for the base profiles: the spec's UserProfile properties (the default user profile,
 * https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/) and OktaUserGroupProfile
 * ("you must first add the properties to the group profile schema before you can reference them",
 * https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Group/).
 * Choice where Okta is silent: the summary names `newUser`/`newGroup` on a create (as reported) and
 * `user`/`group` on an update.
 */
import { oktaError } from './errors.js';

export const USER_BASE_PROFILE: ReadonlySet<string> = new Set([
  'city', 'costCenter', 'countryCode', 'department', 'displayName', 'division', 'email', 'employeeNumber', 'firstName',
  'honorificPrefix', 'honorificSuffix', 'lastName', 'locale', 'login', 'manager', 'managerId', 'middleName',
  'mobilePhone', 'nickName', 'organization', 'postalAddress', 'preferredLanguage', 'primaryPhone', 'profileUrl',
  'secondEmail', 'state', 'streetAddress', 'timezone', 'title', 'userType', 'zipCode',
]);

export const GROUP_BASE_PROFILE: ReadonlySet<string> = new Set(['name', 'description']);

/** Throws 400 E0000001 naming every property of `profile` that the schema does not define. */
export function refuseUndefinedProperties(profile: Record<string, unknown>, schema: ReadonlySet<string>, what: string): void {
  const unknown = Object.keys(profile).filter((k) => !schema.has(k));
  if (unknown.length === 0) return;
  throw oktaError(400, 'E0000001', `Api validation failed: ${what}`, unknown.map((k) => `Property name '${k}' is not defined in profile`));
}
