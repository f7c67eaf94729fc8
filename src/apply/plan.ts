/**
 * Planning: what to do with one object, decided from what the input wants (`desired`), what the org holds
 * (`existing`, found by natural key) and what our output recorded last time (`recorded`). Pure: no I/O.
 *
 *   nothing in the org                         → create
 *   in the org, recorded as ours               → unchanged, or update when a field differs
 *   in the org, recorded as pending (our write-ahead intent; Okta created it but we died before "done")
 *                                              → ours as well: unchanged / update, never a conflict
 *   in the org, not recorded (or recorded under another id, or recorded as deleted)
 *                                              → conflict: adopted only on confirmation or with --adopt
 */
import type { RecordedObject } from '../core/output-format.js';
import type { FieldDiff } from '../okta/handlers/types.js';

export type PlanAction = 'create' | 'unchanged' | 'update' | 'conflict';

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
): ObjectPlan {
  if (existing === undefined) {
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
  const doneOurs = recorded?.state === 'done' && recorded.id === id;
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
  const reason =
    recorded === undefined
      ? 'an object with the same natural key exists, but this output did not create it'
      : recorded.state === 'deleted'
        ? `the recorded object was destroyed; another object with the same natural key (${id}) exists`
        : `recorded as ${recorded.id ?? '?'}, but the org's object with this natural key is ${id}`;
  return { action: 'conflict', diffs, ours: false, resumed: false, existingId: id, reason };
}

/** After a conflict is adopted (confirmed or --adopt): unchanged when nothing differs, otherwise update. */
export function adoptedAction(plan: ObjectPlan): 'unchanged' | 'update' {
  return plan.diffs.length === 0 ? 'unchanged' : 'update';
}
