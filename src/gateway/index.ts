/** The local gateway: Anypoint's OpenID Connect token-enforcement policy in front of the solar-system API. */
export { startGateway, type GatewayOptions, type GatewayLogEntry, type RunningGateway } from './server.js';
export { loadPolicies, parsePolicies, policiesToJson, requiredScopes, DEFAULT_POLICIES_FILE, type GatewayPolicies, type PolicyRule } from './policies.js';
export { extractToken, type TokenExtraction } from './token.js';
export { introspect, basicAuth, scopesOf, type IntrospectOutcome, type IntrospectionResponse } from './introspect.js';
export { decideAccess, denialResponse, logLine, type Decision } from './decide.js';
export { createIntrospectionCache, type IntrospectionCache } from './cache.js';
export { buildSolarSystemApi, PLANETS, MOONS } from './solar-system.js';
