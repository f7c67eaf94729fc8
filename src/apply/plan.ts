/**
 * Planning: what to do with one object, decided from what the input wants (`desired`), what the org holds
 * (`existing`, found by natural key) and what our output recorded last time (`recorded`). Pure: no I/O.
 *
 *   nothing in the org                         → create
 *   in the org, recorded as ours               → unchanged, or update when a field differs
 *   in the org, recorded as pending (our write-ahead intent; Okta created it but we died before "done")
 *                                              → ours as well: unchanged / update, never a conflict
 *   in the org, not recorded (or recorded under another id, or recorded as deleted)
 *                                              → shared, when its class may be shared, its natural key carries no
 *                                                TAG and its settings match (the fields that do not count aside)
 *                                              → conflict otherwise: adopted only on confirmation or with --adopt
 *   nothing in the org under the new natural key, and this record owns the object of the old one
 *                                              → replace: a create, and the old object goes once the run is done
 */
import type { RecordedObject } from '../core/output-format.js';
import type { FieldDiff } from '../okta/handlers/types.js';

export type PlanAction = 'create' | 'replace' | 'unchanged' | 'update' | 'shared' | 'conflict';

export interface ObjectPlan {
  action: PlanAction;
  /** For update and conflict: the differences, field by field. Empty otherwise. */
  diffs: FieldDiff[];
  /** True when the existing object is recorded as ours (done with this id, or our own pending write-ahead). */
  ours: boolean;
  /** True when the existing object is ours only through a pending intent: a create that finished after a kill. */
  resumed: boolean;
  /** The existing object's id, when there is one. */
  existingId?: string;
  /** One line saying why, for the plan print and progress lines. */
  reason: string;
}

/** What planning knows besides the object: the old object a changed natural key supersedes, and sharing. */
export interface PlanContext {
  /** The id of the object this record owns under the entry's previous natural key, still in the org. */
  replaces?: string;
  /**
   * Set when the class may be shared and the natural key carries no TAG: a found object that is not ours and whose
   * diff, leaving out these fields, is empty is used as shared.
   */
  share?: { ignoredFields: readonly string[] };
}

/** The diffs that count for sharing: those outside the ignored fields (a trusted origin's name). */
export function sharedDiffs(diffs: FieldDiff[], ignoredFields: readonly string[]): FieldDiff[] {
  return diffs.filter((d) => !ignoredFields.some((f) => d.path === f || d.path.startsWith(`${f}.`)));
}

/** What planning needs of a handler: its diff (which ignores Okta-filled fields) and its id. */
export interface PlanHandler<Body, Obj> {
  diff(existing: Obj, body: Body): FieldDiff[];
  idOf(obj: Obj): string;
}

export function planObject<Body, Obj>(
  desired: Body,
  existing: Obj | undefined,
  recorded: RecordedObject | undefined,
  handler: PlanHandler<Body, Obj>,
  ctx: PlanContext = {},
): ObjectPlan {
  if (existing === undefined) {
    if (ctx.replaces !== undefined) {
      return { action: 'replace', diffs: [], ours: false, resumed: false, reason: `its natural key changed: a new object replaces ${ctx.replaces}` };
    }
    const reason =
      recorded?.state === 'done'
        ? `recorded as ${recorded.id ?? 'created'} but no longer in the org: it will be created again`
        : recorded?.state === 'pending'
          ? 'an earlier run meant to create it and Okta has no such object: creating it now'
          : 'not in the org';
    return { action: 'create', diffs: [], ours: false, resumed: false, reason };
  }
  const id = handler.idOf(existing);
  const diffs = handler.diff(existing, desired);
  // a shared entry names an object this record uses but does not own
  const doneOurs = recorded?.state === 'done' && recorded.id === id && !recorded.shared;
  // A pending intent without an id: the create may have committed right before the process died.
  // The natural key matched, so it is ours. A pending intent WITH an id must match it.
  const pendingOurs = recorded?.state === 'pending' && (recorded.id === undefined || recorded.id === id);
  if (doneOurs || pendingOurs) {
    return {
      action: diffs.length === 0 ? 'unchanged' : 'update',
      diffs,
      ours: true,
      resumed: pendingOurs,
      existingId: id,
      reason: pendingOurs
        ? 'created by an interrupted run (write-ahead record): taken over'
        : diffs.length === 0
          ? 'matches the input'
          : `${diffs.length} field${diffs.length === 1 ? '' : 's'} differ`,
    };
  }
  if (ctx.share && sharedDiffs(diffs, ctx.share.ignoredFields).length === 0) {
    const one = diffs.length === 1;
    const others = diffs.length ? ` (${diffs.map((d) => d.path).join(', ')} differ${one ? 's' : ''}, which ${one ? 'does' : 'do'} not count)` : '';
    return { action: 'shared', diffs: [], ours: false, resumed: false, existingId: id, reason: `exists with the settings this run needs${others}: used, not owned` };
  }
  const reason =
    recorded === undefined
      ? 'an object with the same natural key exists, but this output did not create it'
      : recorded.shared && recorded.id === id
        ? 'used as shared by an earlier run, but its settings no longer match what this run needs'
        : recorded.state === 'deleted'
        ? `the recorded object was destroyed; another object with the same natural key (${id}) exists`
        : `recorded as ${recorded.id ?? '?'}, but the org's object with this natural key is ${id}`;
  return { action: 'conflict', diffs, ours: false, resumed: false, existingId: id, reason };
}

/** After a conflict is adopted (confirmed or --adopt): unchanged when nothing differs, otherwise update. */
export function adoptedAction(plan: ObjectPlan): 'unchanged' | 'update' {
  return plan.diffs.length === 0 ? 'unchanged' : 'update';
}
