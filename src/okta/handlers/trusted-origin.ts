import { listedHandler } from './common.js';

/** okta:trusted_origin — /api/v1/trustedOrigins, natural key `origin` (Okta keeps origins unique). */
export const trustedOriginHandler = listedHandler({
  objectClass: 'okta:trusted_origin',
  keyField: 'origin',
  collection: () => '/api/v1/trustedOrigins',
  writable: ['name', 'origin', 'scopes'],
  listQuery: { limit: 200 },
});
