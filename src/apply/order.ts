/**
 * Destroy order (issue 5): rules; policies; scopes and claims; the authorization server; app group assignments;
 * apps and clients; users; groups; trusted origins. Within one step, objects go together (concurrently); a class
 * this list does not know goes last. Pure.
 */
import type { RecordedObject } from '../core/output-format.js';

export const DESTROY_STEPS: readonly (readonly string[])[] = [
  ['okta:rule'],
  ['okta:oauth_policy'],
  ['okta:scope', 'okta:claim'],
  ['okta:authz_server'],
  ['okta:app_group_assignment'],
  ['okta:client'],
  ['okta:user'],
  ['okta:user_group'],
  ['okta:trusted_origin'],
];

export function destroyRank(objectClass: string): number {
  const i = DESTROY_STEPS.findIndex((s) => s.includes(objectClass));
  return i < 0 ? DESTROY_STEPS.length : i;
}

/** The recorded objects that still need deleting (done or pending), grouped into steps, in destroy order. */
export function destroySteps(objects: Record<string, RecordedObject>): { key: string; rec: RecordedObject }[][] {
  const steps: { key: string; rec: RecordedObject }[][] = Array.from({ length: DESTROY_STEPS.length + 1 }, () => []);
  for (const [key, rec] of Object.entries(objects)) {
    if (rec.state === 'deleted') continue;
    steps[destroyRank(rec.objectClass)]!.push({ key, rec });
  }
  return steps.filter((s) => s.length > 0);
}
