/**
 * `verify --input FILE` for an input that is not the MuleSoft flow: the checks that apply to any input, one per
 * object its output file recorded (the `$okta-bootstrap` journal): the object still exists in the org, found by its
 * recorded id, and is ACTIVE when its class has a status (users, groups are typed instead; trusted origins, clients,
 * servers, policies, rules and claims have one). Objects the journal marks deleted are not checked.
 *
 * Okta's docs state the statuses: an authorization server, policy or rule is ACTIVE or INACTIVE
 * (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/AuthorizationServer/), a user
 * ACTIVE, STAGED, PROVISIONED, SUSPENDED, … (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/).
 * What "works" means for an object beyond that depends on the input, so nothing more is claimed here.
 */
import type { OutputFile } from '../core/output-format.js';
import type { OktaApi } from '../okta/client.js';
import { keyOf } from '../okta/handlers/common.js';
import { handlerFor } from '../okta/handlers/index.js';
import { fail, pass, skip, type CheckResult } from './types.js';

/** Looks each recorded object up by its recorded id (then its natural key) and checks it exists and is active. */
export async function recordedObjectChecks(api: OktaApi, output: OutputFile, outputFile: string, rerun: string): Promise<CheckResult[]> {
  const objects = Object.entries(output.meta?.objects ?? {});
  const out: CheckResult[] = [];
  for (const [key, rec] of objects) {
    const id = `object.${key}`;
    const title = `${key} (${rec.objectClass}) exists${rec.state === 'deleted' ? '' : ' and is active'}`;
    if (rec.state === 'deleted') {
      out.push(skip(6, id, title, `${outputFile} records it as deleted`));
      continue;
    }
    if (!rec.id) {
      out.push(fail(6, id, title, `${outputFile} records no id for ${key}: its create did not finish`, rerun));
      continue;
    }
    const handler = handlerFor(rec.objectClass);
    const ctx = { api, parent: rec.parent ?? {} };
    const keys = handler.recordedKey ? [handler.recordedKey(rec.id), rec.naturalKey] : [rec.naturalKey];
    let found: Record<string, unknown> | undefined;
    try {
      const existing = await handler.findExisting(ctx, keys);
      found = keys.map((k) => existing.get(keyOf(k))).find((o) => o !== undefined && handler.idOf(o) === rec.id);
    } catch (e) {
      out.push(fail(6, id, title, `looking up ${key} ${rec.id} failed: ${e instanceof Error ? e.message : String(e)}`, 'check the org URL and the API token, then run verify again'));
      continue;
    }
    if (!found) {
      out.push(fail(6, id, title, `${key} ${rec.id} (from ${outputFile}) is not in the org: deleted outside okta-bootstrap?`, rerun));
      continue;
    }
    const status = typeof found.status === 'string' ? found.status : undefined;
    if (status !== undefined && status !== 'ACTIVE') {
      out.push(fail(6, id, title, `${key} ${rec.id} is ${status}, not ACTIVE`, `activate it in the Admin Console, or ${rerun}`));
      continue;
    }
    out.push(pass(6, id, title, `${rec.id}${status ? ' ACTIVE' : ''}`));
  }
  return out;
}

/** The keys whose presence in an output gives it the MuleSoft flow's shape (what the dance and the audit read). */
export const MULESOFT_SHAPE: readonly (readonly string[])[] = [
  ['OKTA_AZ_SERVER', 'OKTA_AZ_SERVER_ID'],
  ['INTROSPECT_CLIENT', 'INTROSPECT_CLIENT_ID'],
  ['SILVER_USER', 'SILVER_USERNAME'],
  ['GOLD_USER', 'GOLD_USERNAME'],
];

/** The MuleSoft keys an output lacks (none: it has the MuleSoft shape). */
export function missingMulesoftKeys(output: OutputFile): string[] {
  return MULESOFT_SHAPE.filter((names) => !names.some((n) => output.values[n] !== undefined)).map((names) => names[0] ?? '');
}
