/**
 * Every route module of the tenant, in registration order. The OAuth part (src/local-tenant/oauth/) adds its
 * registration function here (one import, one list entry); each gets the fastify instance and the context.
 */
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context.js';
import { registerAppRoutes } from './apps.js';
import { registerAuthServerRoutes } from './authorization-servers.js';
import { registerClientRoutes } from './clients.js';
import { registerGroupRoutes } from './groups.js';
import { registerPolicyRoutes } from './policies.js';
import { registerScopeAndClaimRoutes } from './scopes-claims.js';
import { registerTrustedOriginRoutes } from './trusted-origins.js';
import { registerUserRoutes } from './users.js';
import { registerGrantRoutes } from './grants.js';
import { registerOAuthRoutes } from '../oauth/routes.js';
import { registerAuthnRoutes } from '../authn/routes.js';
import { registerBrowserRoutes } from '../sessions/routes.js';

export type RouteModule = (app: FastifyInstance, ctx: TenantContext) => void;

export const ROUTES: RouteModule[] = [
  registerAuthServerRoutes,
  registerScopeAndClaimRoutes,
  registerPolicyRoutes,
  registerGroupRoutes,
  registerUserRoutes,
  registerGrantRoutes,
  registerAppRoutes,
  registerTrustedOriginRoutes,
  registerClientRoutes,
  registerOAuthRoutes,
  registerAuthnRoutes,
  registerBrowserRoutes,
];
