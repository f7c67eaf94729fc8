/**
 * The shape part of the preflight: the body a planned create or update would send, checked against Okta's
 * spec (src/okta/shape.ts), as problems of the input (reported with every other problem before the first write).
 */
import type { InputProblem } from '../core/errors.js';
import type { CreateRequest } from '../okta/handlers/types.js';
import { checkRequestShape } from '../okta/shape.js';
import type { PlannedObject } from './report.js';
import { KNOWN } from './values.js';

/**
 * The problems of the request a planned object would send: a create's request as the handler builds it; an
 * update's body (the input's fields, merged by the handler into the org's object) for types and enums only.
 * `known`: problems found already (the handler's own checks): a field they name is not reported twice.
 */
export function shapeProblems(key: string, action: PlannedObject['action'], req: CreateRequest, body: unknown, existingId: string | undefined, known: readonly InputProblem[]): InputProblem[] {
  const update = action === 'update' || action === 'conflict';
  if (action !== 'create' && !update) return [];
  const found = update
    ? checkRequestShape('PUT', `${req.path}/${encodeURIComponent(existingId ?? KNOWN)}`, body, { partial: true, unknown: KNOWN })
    : checkRequestShape(req.method, req.path, req.body ?? {}, { unknown: KNOWN, partial: req.partial });
  const named = new Set(known.filter((p) => p.path[0] === key).map((p) => p.path.slice(2).join('.')));
  return found
    .filter((p) => !named.has(p.path))
    .map((p) => ({
      severity: 'error',
      path: [key, 'default', ...(p.path === '' ? [] : p.path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)))],
      message: `${p.path === '' ? 'the body ' : ''}${p.message} (${p.operationId} in Okta's API reference)`,
      suggestion: `Give ${p.path || 'the body'} the type Okta's API takes: https://developer.okta.com/docs/api/ (${p.operationId}).`,
    }));
}
