/** The gateway profiles of get-settings: one generator per gateway, all pure (settings values in, files out). */
import { apigeeConfig } from './apigee.js';
import { awsConfig } from './aws.js';
import type { GatewayConfig, GatewayKind, GatewaySettings } from './common.js';
import { kongConfig, type KongMode } from './kong.js';
import { mulesoftJwtConfig } from './mulesoft-jwt.js';
import { ramlConfig } from './raml.js';
import { swagConfig } from './swag.js';
import { tykConfig } from './tyk.js';

export type { GatewayConfig, GatewayFile, GatewayKind, GatewaySettings } from './common.js';
export { KONG_OSS_REFUSAL, KONG_OSS_SUGGESTION, type KongMode } from './kong.js';

export const GATEWAY_KINDS: readonly GatewayKind[] = ['kong', 'aws', 'tyk', 'apigee', 'mulesoft_jwt', 'swag', 'raml'];

export interface GenerateOptions {
  /** Kong only: local JWKS validation (default) or Okta's introspection endpoint. */
  kongMode?: KongMode;
}

export function generateGatewayConfig(kind: GatewayKind, s: GatewaySettings, opts: GenerateOptions = {}): GatewayConfig {
  switch (kind) {
    case 'kong':
      return kongConfig(s, opts.kongMode ?? 'bearer');
    case 'aws':
      return awsConfig(s);
    case 'tyk':
      return tykConfig(s);
    case 'apigee':
      return apigeeConfig(s);
    case 'mulesoft_jwt':
      return mulesoftJwtConfig(s);
    case 'swag':
      return swagConfig(s);
    case 'raml':
      return ramlConfig(s);
  }
}
