/** The settings the gateway generator tests feed every profile (one resource needs two scopes, to show AND vs OR). */
import { parsePolicies } from '../../src/gateway/policies.js';
import type { GatewaySettings } from '../../src/settings/gateways/index.js';

export const SETTINGS: GatewaySettings = {
  input: 'standard',
  tag: 'test-tag',
  issuer: 'https://example.okta.com/oauth2/aus1abcd',
  audience: 'api://solar_system',
  upstreamUrl: 'http://localhost:8082',
  policies: parsePolicies({
    'GET /planets': ['http://myapp.com/scp/silver'],
    'GET /moons': ['http://myapp.com/scp/gold'],
    '* /admin': ['http://myapp.com/scp/gold', 'http://myapp.com/scp/silver'],
  }),
  policiesSource: 'test',
  introspectClientId: '0oaintrospect',
};
