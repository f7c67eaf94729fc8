/**
 * The end of a replace: the objects a changed natural key superseded (recorded as `KEY~<oldId>` with `replacedBy`,
 * src/apply/step.ts) are deleted once every step of the run succeeded, so their dependants (memberships, rule
 * people and clients, policy clients), rendered with the new ids, have moved to the new objects first. Deleted in
 * destroy order (children before parents, src/apply/order.ts); each is read again by its recorded key before its
 * delete and left alone when the org's object under that key has another id. A run that did not finish keeps them
 * recorded: the next complete run deletes them, and destroy does too (they are ordinary owned entries).
 *
 * Records built on this one (an input that loads it as a data source) move only when they run again: while one of
 * their saved objects still names a replaced object's id, that object is kept (we chose to wait rather than leave a
 * rule naming a deleted group; Okta's docs do not say what a rule does with a deleted group's id).
 */
import { dirname } from 'node:path';
import type { Logger } from '../core/log.js';
import type { RecordedObject } from '../core/output-format.js';
import { listRecords } from '../core/records.js';
import type { OktaApi } from '../okta/client.js';
import { isNotFound } from '../okta/handlers/common.js';
import { handlerFor } from '../okta/handlers/index.js';
import type { OutputJournal } from './journal.js';
import type { ExistingLoader } from './lookup.js';
import { destroySteps } from './order.js';
import type { Progress } from './progress.js';
import { errorLine, type PlannedObject } from './report.js';

export interface ReplacedDeps {
  api: OktaApi;
  journal: OutputJournal;
  loader: ExistingLoader;
  log: Logger;
  progress: Progress;
}

/** The entries of objects a replace superseded that are not deleted yet. */
export function replacedEntries(objects: Record<string, RecordedObject>): Record<string, RecordedObject> {
  return Object.fromEntries(Object.entries(objects).filter(([, r]) => r.replacedBy !== undefined && r.state !== 'deleted'));
}

/**
 * The plan's lines for objects earlier runs replaced that are still to delete (a run that did not finish kept them),
 * after the plan of the entries: one that the plan takes back under its key (found there again) is not listed.
 */
export function replacedPlan(objects: Record<string, RecordedObject>, planned: PlannedObject[]): PlannedObject[] {
  const takenBack = (rec: RecordedObject) => planned.some((p) => p.key === rec.replacedBy && p.id !== undefined && p.id === rec.id);
  const left = Object.entries(replacedEntries(objects)).filter(([, rec]) => !takenBack(rec));
  return left.map(([key, rec]) => ({
    key,
    objectClass: rec.objectClass,
    action: 'delete',
    diffs: [],
    ...(rec.id !== undefined ? { id: rec.id } : {}),
    name: Object.values(rec.naturalKey).join(', '),
    reason: `replaced by ${rec.replacedBy ?? '?'} in an earlier run that did not finish: deleted once every step of this run has succeeded`,
  }));
}

/** The saved objects of the records in the folder that load this one as a data source, as text, by file. */
async function dependants(journal: OutputJournal): Promise<{ file: string; text: string }[]> {
  const { records } = await listRecords(dirname(journal.latestPath));
  const { input, orgUrl } = journal.meta;
  return records
    .filter((r) => r.meta.dataSources.includes(input) && r.meta.orgUrl === orgUrl)
    .map((r) => ({
      file: r.file,
      text: Object.entries(r.meta.objects)
        .filter(([, o]) => o.state !== 'deleted')
        .map(([k]) => JSON.stringify(r.values[k] ?? null))
        .join('\n'),
    }));
}

async function deleteOne(d: ReplacedDeps, key: string, rec: RecordedObject, users: { file: string; text: string }[]): Promise<void> {
  const { journal, progress } = d;
  const id = rec.id ?? '';
  const h = handlerFor(rec.objectClass);
  const ctx = { api: d.api, parent: rec.parent ?? {} };
  const words = Object.values(rec.naturalKey).join(', ');
  if (rec.adopted || rec.shared || (h.isProtected && (await h.isProtected(ctx, rec)))) {
    delete journal.objects[key];
    progress.line(`  kept ${key} (${rec.objectClass}) ${id}: okta-bootstrap did not create it, so it is not deleted; it is no longer recorded`);
    return;
  }
  const user = users.find((u) => id !== '' && u.text.includes(id));
  if (user) {
    progress.line(`  kept ${key} (${rec.objectClass}) ${id}: ${user.file} still uses it; run that input again, then this one, to delete it`);
    return;
  }
  // read before delete: the org's object under the recorded key must still be the recorded one
  let found: Record<string, unknown> | undefined;
  try {
    found = await d.loader.fresh(rec.objectClass, ctx.parent, h.recordedKey && id ? h.recordedKey(id) : rec.naturalKey);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  if (found !== undefined && h.idOf(found) !== id) {
    journal.record(key, { state: 'deleted' });
    progress.line(`  left ${key} (${rec.objectClass}) "${words}" alone: the recorded id ${id} is now ${h.idOf(found)}, which okta-bootstrap did not replace`);
    return;
  }
  const outcome = found === undefined || id === '' ? 'gone' : await h.delete(ctx, { id });
  journal.record(key, { state: 'deleted' });
  progress.object(outcome, key, rec.objectClass, `${id} (replaced by ${rec.replacedBy ?? '?'})`);
}

/**
 * Deletes the replaced objects the record holds, in destroy order; a step that fails stops the ones after it (a
 * parent waits for its children). Returns the failures by key (empty: all done).
 */
export async function deleteReplaced(d: ReplacedDeps): Promise<Map<string, unknown>> {
  const failed = new Map<string, unknown>();
  const entries = replacedEntries(d.journal.objects);
  if (Object.keys(entries).length === 0) return failed;
  const users = await dependants(d.journal);
  for (const step of destroySteps(entries)) {
    await Promise.all(
      step.map(async ({ key, rec }) => {
        try {
          await deleteOne(d, key, rec, users);
        } catch (e) {
          failed.set(key, e);
          d.progress.object('failed', key, rec.objectClass, errorLine(e));
        }
      }),
    );
    await d.journal.flush();
    if (failed.size > 0) break;
  }
  return failed;
}
