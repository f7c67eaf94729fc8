/**
 * The handler registry: one handler per object class, and the only place that lists them. Adding a class is one
 * handler file plus one line here (docs/internals.md, "Adding an object class"); the `satisfies` clause makes the
 * compiler refuse a class of the input schema without a handler.
 */
import { UsageError } from '../../core/errors.js';
import { OBJECT_CLASSES, type ObjectClass } from '../../input/schema.js';
import { appGroupAssignmentHandler } from './app-group-assignment.js';
import { claimHandler, policyHandler, ruleHandler, scopeHandler } from './authorization-server-children.js';
import { authorizationServerHandler } from './authorization-server.js';
import { clientHandler } from './client.js';
import { clientLogoutUriHandler } from './client-logout-uri.js';
import { groupHandler } from './group.js';
import { trustedOriginHandler } from './trusted-origin.js';
import type { Handler } from './types.js';
import { userHandler } from './user.js';

export { PartialCreateError } from './client.js';

const HANDLERS = {
  'okta:authz_server': authorizationServerHandler,
  'okta:scope': scopeHandler,
  'okta:claim': claimHandler,
  'okta:oauth_policy': policyHandler,
  'okta:rule': ruleHandler,
  'okta:user_group': groupHandler,
  'okta:user': userHandler,
  'okta:client': clientHandler,
  'okta:trusted_origin': trustedOriginHandler,
  'okta:app_group_assignment': appGroupAssignmentHandler,
  'okta:client_logout_uri': clientLogoutUriHandler,
} satisfies Record<ObjectClass, Handler>;

export { OBJECT_CLASSES };

function isObjectClass(c: string): c is ObjectClass {
  return (OBJECT_CLASSES as readonly string[]).includes(c);
}

export function handlerFor(objectClass: string): Handler {
  if (!isObjectClass(objectClass)) {
    throw new UsageError(`unknown objectClass "${objectClass}"`, { object: objectClass, suggestion: `Use one of: ${OBJECT_CLASSES.join(', ')}.` });
  }
  return HANDLERS[objectClass];
}
