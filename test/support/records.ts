/**
 * The records invariant, checked from outside the tool: every object of the kinds okta-bootstrap creates that is
 * in the org (read through the Okta SDK) and was not there before (`baseline`) nor made by someone else
 * (`foreign`: an Anypoint-registered client, a hand-made group) is owned by exactly one record in the output
 * folder; other records may name it as shared. Records are read as raw JSON, not through the tool's code. A pending
 * intent without an id (a create whose answer never came) owns the object its natural key names, unless a record
 * owns that object by id.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sdk } from './org.js';

const META = '$okta-bootstrap';
const SNAPSHOT = /^\d{8}-\d{4}(\d{2})?(-\d+)?_/;

export interface OrgObject {
  objectClass: string;
  id: string;
  naturalKey: Record<string, string>;
  parent: Record<string, string>;
  /** Other natural keys that name the same object: an assignment of Everyone may be recorded as {groupId: "Everyone"}. */
  alsoKeys?: Record<string, string>[];
}

export interface RawRecordedObject {
  objectClass: string;
  state: string;
  id?: string;
  naturalKey: Record<string, string>;
  parent?: Record<string, string>;
  shared?: boolean;
  adopted?: boolean;
  replacedBy?: string;
}

export interface RawRecord {
  file: string;
  input: string;
  tag?: string;
  orgUrl: string;
  objects: Record<string, RawRecordedObject>;
}

async function all<T>(collection: Promise<AsyncIterable<T | null>> | AsyncIterable<T | null>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of await collection) if (item) out.push(item);
  return out;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Every object of okta-bootstrap's kinds in the org, with the natural key the tool records for its class. */
export async function orgObjects(sdk: Sdk): Promise<OrgObject[]> {
  const out: OrgObject[] = [];
  const asApi = sdk.authorizationServerApi;
  for (const s of await all(asApi.listAuthorizationServers())) {
    const authServerId = str(s.id);
    out.push({ objectClass: 'okta:authz_server', id: authServerId, naturalKey: { name: str(s.name) }, parent: {} });
    for (const sc of await all(asApi.listOAuth2Scopes({ authServerId }))) {
      if (!sc.system) out.push({ objectClass: 'okta:scope', id: str(sc.id), naturalKey: { name: str(sc.name) }, parent: { authServerId } });
    }
    for (const c of await all(asApi.listOAuth2Claims({ authServerId }))) {
      if (!(c as { system?: boolean }).system) out.push({ objectClass: 'okta:claim', id: str(c.id), naturalKey: { name: str(c.name) }, parent: { authServerId } });
    }
    for (const p of await all(asApi.listAuthorizationServerPolicies({ authServerId }))) {
      const policyId = str(p.id);
      out.push({ objectClass: 'okta:oauth_policy', id: policyId, naturalKey: { name: str(p.name) }, parent: { authServerId } });
      for (const r of await all(asApi.listAuthorizationServerPolicyRules({ authServerId, policyId }))) {
        out.push({ objectClass: 'okta:rule', id: str(r.id), naturalKey: { name: str(r.name) }, parent: { authServerId, policyId } });
      }
    }
  }
  for (const g of await all(sdk.groupApi.listGroups())) {
    out.push({ objectClass: 'okta:user_group', id: str(g.id), naturalKey: { 'profile.name': str(g.profile?.name) }, parent: {} });
  }
  for (const u of await all(sdk.userApi.listUsers())) {
    out.push({ objectClass: 'okta:user', id: str(u.id), naturalKey: { 'profile.login': str(u.profile?.login) }, parent: {} });
  }
  // the tool names the built-in Everyone group by name in an assignment's key, its id differing per org
  const everyone = new Set(out.filter((g) => g.objectClass === 'okta:user_group' && g.naturalKey['profile.name'] === 'Everyone').map((g) => g.id));
  for (const a of await all(sdk.applicationApi.listApplications())) {
    const appId = str(a.id);
    out.push({ objectClass: 'okta:client', id: appId, naturalKey: { client_name: str(a.label) }, parent: {} });
    for (const ga of await all(sdk.applicationApi.listApplicationGroupAssignments({ appId }))) {
      const id = str(ga.id);
      out.push({ objectClass: 'okta:app_group_assignment', id, naturalKey: { groupId: id }, parent: { appId }, ...(everyone.has(id) ? { alsoKeys: [{ groupId: 'Everyone' }] } : {}) });
    }
  }
  for (const o of await all(sdk.trustedOriginApi.listTrustedOrigins())) {
    out.push({ objectClass: 'okta:trusted_origin', id: str(o.id), naturalKey: { origin: str(o.origin) }, parent: {} });
  }
  return out;
}

/** The records in an output folder (not the per-run snapshots), as raw JSON. */
export async function readRecords(dir: string): Promise<RawRecord[]> {
  let names: string[] = [];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const records: RawRecord[] = [];
  for (const name of names.filter((n) => n.endsWith('.json') && !SNAPSHOT.test(n)).sort()) {
    const json = JSON.parse(await readFile(join(dir, name), 'utf8')) as Record<string, unknown>;
    const meta = json[META] as (Omit<RawRecord, 'file'> & { copyOf?: string }) | undefined;
    if (!meta || meta.copyOf !== undefined) continue;
    records.push({ file: name, input: meta.input, tag: meta.tag, orgUrl: meta.orgUrl, objects: meta.objects });
  }
  return records;
}

const identity = (o: { objectClass: string; id: string; parent: Record<string, string> }) =>
  o.objectClass === 'okta:app_group_assignment' ? `${o.objectClass} ${o.parent.appId ?? ''}/${o.id}` : `${o.objectClass} ${o.id}`;
const byKey = (o: { objectClass: string; naturalKey: Record<string, string>; parent?: Record<string, string> }) =>
  `${o.objectClass} ${JSON.stringify(o.parent ?? {})} ${JSON.stringify(o.naturalKey)}`;

export interface InvariantReport {
  /** Objects of the tool's kinds in the org that no record owns: "okta:user 00u… {"profile.login":"…"}". */
  unrecorded: string[];
  /** Objects more than one record owns, with the records. */
  ownedTwice: string[];
  /** Objects only shared, with no owning record. */
  sharedOnly: string[];
}

/**
 * Compares the org with the union of the records. Objects of owned apps' assignments go with the app. A pending
 * record without an id owns the object its natural key names (destroy finds it that way).
 */
export async function recordsInvariant(sdk: Sdk, dir: string, opts: { baseline: OrgObject[]; foreign?: string[] }): Promise<InvariantReport> {
  const before = new Set(opts.baseline.map(identity));
  const foreign = new Set(opts.foreign ?? []);
  const records = await readRecords(dir);
  const owners = new Map<string, string[]>();
  const sharers = new Map<string, string[]>();
  for (const r of records) {
    for (const [key, o] of Object.entries(r.objects)) {
      if (o.state === 'deleted') continue;
      const where = `${r.file}:${key}`;
      // an id names the object; a pending intent without one names it by natural key, as destroy finds it
      const names = [o.id !== undefined ? identity({ objectClass: o.objectClass, id: o.id, parent: o.parent ?? {} }) : byKey(o)];
      const map = o.shared ? sharers : owners;
      for (const n of names) map.set(n, [...(map.get(n) ?? []), where]);
    }
  }
  const ownedApps = new Set<string>();
  const report: InvariantReport = { unrecorded: [], ownedTwice: [], sharedOnly: [] };
  const org = await orgObjects(sdk);
  for (const o of org) if (o.objectClass === 'okta:client' && (owners.get(identity(o)) ?? []).length > 0) ownedApps.add(o.id);
  for (const o of org) {
    const id = identity(o);
    if (before.has(id) || foreign.has(o.id)) continue;
    if (o.objectClass === 'okta:app_group_assignment' && ownedApps.has(o.parent.appId ?? '')) continue;
    const keys = [byKey(o), ...(o.alsoKeys ?? []).map((naturalKey) => byKey({ ...o, naturalKey }))];
    // a record that holds the object's id owns it; a pending intent without an id claims it only when no record
    // does (destroy decides the same way: it never deletes an object another record owns by id)
    const byId = owners.get(id) ?? [];
    const own = byId.length > 0 ? byId : [...new Set(keys.flatMap((k) => owners.get(k) ?? []))];
    const line = `${id} ${JSON.stringify(o.naturalKey)}`;
    if (own.length === 0) {
      const shared = [...new Set([...(sharers.get(id) ?? []), ...keys.flatMap((k) => sharers.get(k) ?? [])])];
      if (shared.length > 0) report.sharedOnly.push(`${line} (shared by ${shared.join(', ')})`);
      else report.unrecorded.push(line);
    } else if (own.length > 1) report.ownedTwice.push(`${line}: ${own.join(', ')}`);
  }
  return report;
}
