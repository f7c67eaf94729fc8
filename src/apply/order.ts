/**
 * Destroy order: each handler's `destroyRank` (children before their parents). Objects of the same rank go
 * together (concurrently); a class no handler knows (an output written by a newer version) goes last. Pure.
 */
import type { RecordedObject } from '../core/output-format.js';
import { handlerFor, OBJECT_CLASSES } from '../okta/handlers/index.js';

const LAST = Math.max(...OBJECT_CLASSES.map((c) => handlerFor(c).destroyRank)) + 1;

export function destroyRank(objectClass: string): number {
  return (OBJECT_CLASSES as readonly string[]).includes(objectClass) ? handlerFor(objectClass).destroyRank : LAST;
}

/** The recorded objects that still need deleting (done or pending), grouped into steps, in destroy order. */
export function destroySteps(objects: Record<string, RecordedObject>): { key: string; rec: RecordedObject }[][] {
  const byRank = new Map<number, { key: string; rec: RecordedObject }[]>();
  for (const [key, rec] of Object.entries(objects)) {
    if (rec.state === 'deleted') continue;
    const r = destroyRank(rec.objectClass);
    byRank.set(r, [...(byRank.get(r) ?? []), { key, rec }]);
  }
  return [...byRank.entries()].sort(([a], [b]) => a - b).map(([, s]) => s);
}
