/**
 * One handler per object class (contract "Handlers" in docs/internals.md).
 */
import { UsageError } from '../../core/errors.js';
import { appGroupAssignmentHandler } from './app-group-assignment.js';
import { claimHandler, policyHandler, ruleHandler, scopeHandler } from './authorization-server-children.js';
import { authorizationServerHandler } from './authorization-server.js';
import { clientHandler } from './client.js';
import { groupHandler } from './group.js';
import { trustedOriginHandler } from './trusted-origin.js';
import type { Handler } from './types.js';
import { userHandler } from './user.js';

export type { FieldDiff, Handler, HandlerContext, Obj } from './types.js';
export { keyOf, parentFromEndpoint, diffBody, everyoneGroupId } from './common.js';
export { PartialCreateError } from './client.js';

const HANDLERS: Record<string, Handler> = Object.fromEntries(
  [
    authorizationServerHandler,
    scopeHandler,
    claimHandler,
    policyHandler,
    ruleHandler,
    groupHandler,
    userHandler,
    clientHandler,
    trustedOriginHandler,
    appGroupAssignmentHandler,
  ].map((h) => [h.objectClass, h]),
);

export const OBJECT_CLASSES = Object.keys(HANDLERS);

export function handlerFor(objectClass: string): Handler {
  const h = HANDLERS[objectClass];
  if (!h) {
    throw new UsageError(`unknown objectClass "${objectClass}"`, { object: objectClass, suggestion: `Use one of: ${OBJECT_CLASSES.join(', ')}.` });
  }
  return h;
}
