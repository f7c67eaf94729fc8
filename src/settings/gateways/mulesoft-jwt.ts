/**
 * MuleSoft's JWT Validation policy, without DCR: the Flex Gateway Local Mode file (`ApiInstance` + one
 * `PolicyBinding` of `jwt-validation-flex` for the API and one per resource of the policy map), and the Anypoint
 * Terraform provider's `anypoint_api_policy_jwt_validation`.
 *
 * - https://docs.mulesoft.com/gateway/latest/policies-included-jwt-validation (Local Mode parameters; 400 when the
 *   token is missing, 401 when the signature or a claim fails)
 * - https://docs.mulesoft.com/gateway/latest/flex-local-configuration-reference-guide (ApiInstance, PolicyBinding:
 *   targetRef, policyRef, config, order, rules with path/methods regular expressions)
 * - https://registry.terraform.io/providers/mulesoft/anypoint/latest/docs/resources/api_policy_jwt_validation
 *
 * The scope check is a "contains" check per scope (`#[vars.claimSet.scp contains '…']`), ANDed when a resource has
 * several: the exact-array match (`scp == [...]`) breaks as soon as a token carries more than one scope.
 * jwt-validation-flex validates `aud` against supportedAudiences and requires `exp`; the JWKS (not a static key)
 * keeps working through Okta's key rotation.
 *
 * Where the docs are silent: the provider's documented schema has no resource-level (pointcut) setting, so the
 * Terraform file applies the API-wide validation only, and says so; the per-resource scope checks are in the Flex
 * Local Mode file, whose PolicyBinding rules restrict each binding to its resource.
 */
import { z } from 'zod';
import type { PolicyRule } from '../../gateway/policies.js';
import { oktaEndpoints, pathRegex, provenance, ruleSlug, stripSlash, yamlDocuments, type GatewayConfig, type GatewaySettings } from './common.js';

/**
 * jwt-validation-flex's Local Mode parameters, from the parameter table of
 * https://docs.mulesoft.com/gateway/1.8/policies-included-jwt-validation (no schema is published; a test compares
 * these keys and their required flags with the table, src/settings/gateways/schemas/mulesoft-flex.json).
 */
export const FlexJwtValidationConfig = z.strictObject({
  signingMethod: z.enum(['rsa', 'hmac', 'es', 'none']).optional(),
  signingKeyLength: z.union([z.literal(256), z.literal(384), z.literal(512)]).optional(),
  textKey: z.string().optional(),
  jwtOrigin: z.enum(['httpBearerAuthenticationHeader', 'customExpression']).optional(),
  jwtKeyOrigin: z.enum(['text', 'jwks']).optional(),
  jwksUrl: z.string().url().optional(),
  jwksServiceTimeToLive: z.number().int().positive().optional(),
  jwksServiceConnectionTimeout: z.number().int().positive().optional(),
  validateAudClaim: z.boolean().optional(),
  mandatoryAudClaim: z.boolean().optional(),
  mandatoryNbfClaim: z.boolean().optional(),
  mandatoryExpClaim: z.boolean().optional(),
  supportedAudiences: z.string().optional(),
  validateCustomClaim: z.boolean().optional(),
  mandatoryCustomClaims: z.array(z.strictObject({ key: z.string().min(1), value: z.string().min(1) })).optional(),
  nonMandatoryCustomClaims: z.array(z.strictObject({ key: z.string().min(1), value: z.string().min(1) })).optional(),
  jwtExpression: z.string().optional(),
  // "This parameter must be set to `true` in Local Mode."
  skipClientIdValidation: z.literal(true),
  clientIdExpression: z.string().optional(),
});

const K8sName = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a lowercase DNS label');

/** PolicyBinding, from the field table of https://docs.mulesoft.com/gateway/1.8/flex-local-configuration-reference-guide. */
export const FlexPolicyBinding = z.strictObject({
  apiVersion: z.literal('gateway.mulesoft.com/v1alpha1'),
  kind: z.literal('PolicyBinding'),
  metadata: z.strictObject({ name: K8sName, namespace: z.string().optional() }),
  spec: z.strictObject({
    targetRef: z.strictObject({ name: z.string().min(1), namespace: z.string().optional() }),
    policyRef: z.strictObject({ name: z.string().min(1), namespace: z.string().optional() }),
    config: FlexJwtValidationConfig.optional(),
    order: z.number().int().optional(),
    rules: z
      .array(
        z.strictObject({
          path: z.string().optional(),
          methods: z.string().optional(),
          host: z.string().optional(),
          headers: z.record(z.string(), z.string()).optional(),
        }),
      )
      .optional(),
  }),
});

export const FlexApiInstance = z.strictObject({
  apiVersion: z.literal('gateway.mulesoft.com/v1alpha1'),
  kind: z.literal('ApiInstance'),
  metadata: z.strictObject({ name: K8sName, namespace: z.string().optional() }),
  spec: z.strictObject({
    address: z.string().regex(/^https?:\/\/[^/]+:\d+(\/.*)?$/, 'protocol://host:port/path'),
    services: z.record(z.string(), z.strictObject({ address: z.string().regex(/^https?:\/\/[^/]+(:\d+)?$/), routes: z.array(z.unknown()).optional() })).optional(),
  }),
});

export type FlexJwtConfig = z.infer<typeof FlexJwtValidationConfig>;

/** The DataWeave expression the scope check uses; the local gateway parses exactly this form back. */
export function scpContains(scope: string): string {
  return `#[vars.claimSet.scp contains '${scope.replace(/'/g, "\\'")}']`;
}

export const MULESOFT_API_INSTANCE = 'solar-system-api';

function baseConfig(s: GatewaySettings): FlexJwtConfig {
  return {
    jwtOrigin: 'httpBearerAuthenticationHeader',
    signingMethod: 'rsa',
    signingKeyLength: 256,
    jwtKeyOrigin: 'jwks',
    jwksUrl: oktaEndpoints(s.issuer).jwks,
    jwksServiceTimeToLive: 60,
    jwksServiceConnectionTimeout: 10000,
    skipClientIdValidation: true,
    validateAudClaim: true,
    mandatoryAudClaim: true,
    supportedAudiences: s.audience,
    mandatoryExpClaim: true,
    mandatoryNbfClaim: false,
  };
}

function resourceConfig(s: GatewaySettings, rule: PolicyRule): FlexJwtConfig {
  return {
    ...baseConfig(s),
    validateCustomClaim: true,
    // Okta's `iss` is checked as a custom claim: jwt-validation-flex has no issuer parameter.
    mandatoryCustomClaims: [
      { key: 'iss', value: `#[vars.claimSet.iss == '${s.issuer}']` },
      ...rule.scopes.map((sc) => ({ key: 'scp', value: scpContains(sc) })),
    ],
  };
}

function methodsRegex(rule: PolicyRule): string | undefined {
  return rule.method === '*' ? undefined : rule.method;
}

function terraform(s: GatewaySettings, prov: string): string {
  const base = baseConfig(s);
  return [
    `# ${prov}`,
    '# Apply with: terraform init && terraform apply (mulesoft/anypoint provider).',
    '# API-wide validation: signature against Okta\'s JWKS, aud, exp, iss. The provider\'s documented schema has no',
    '# resource-level setting, so the per-resource scope checks below are in flex-jwt-validation.yaml (PolicyBinding',
    '# rules); in API Manager, apply a copy of this policy per resource with its mandatory_custom_claims.',
    '',
    'variable "organization_id" { type = string }',
    'variable "environment_id" { type = string }',
    'variable "api_instance_id" { type = string }',
    '',
    'resource "anypoint_api_policy_jwt_validation" "okta" {',
    '  organization_id = var.organization_id',
    '  environment_id  = var.environment_id',
    '  api_instance_id = var.api_instance_id',
    `  label           = "okta-jwt-${s.tag}"`,
    '  order           = 1',
    '',
    '  configuration = {',
    `    jwt_origin                      = "${base.jwtOrigin}"`,
    `    signing_method                  = "${base.signingMethod}"`,
    `    signing_key_length              = ${base.signingKeyLength}`,
    `    jwt_key_origin                  = "${base.jwtKeyOrigin}"`,
    `    jwks_url                        = "${base.jwksUrl}"`,
    `    jwks_service_time_to_live       = ${base.jwksServiceTimeToLive}`,
    `    jwks_service_connection_timeout = ${base.jwksServiceConnectionTimeout}`,
    '    skip_client_id_validation       = true',
    '    validate_aud_claim              = true',
    '    mandatory_aud_claim             = true',
    `    supported_audiences             = "${s.audience}"`,
    '    mandatory_exp_claim             = true',
    '    mandatory_nbf_claim             = false',
    '    validate_custom_claim           = true',
    `    mandatory_custom_claims         = [{ key = "iss", value = "#[vars.claimSet.iss == '${s.issuer}']" }]`,
    '  }',
    '}',
    '',
    ...s.policies.map((r) => `# ${r.key}: mandatory_custom_claims = [${r.scopes.map((sc) => `{ key = "scp", value = "${scpContains(sc)}" }`).join(', ')}]`),
    '',
  ].join('\n');
}

export function mulesoftJwtConfig(s: GatewaySettings): GatewayConfig {
  const prov = provenance(s, '--mulesoft_jwt');
  const apiInstance = {
    apiVersion: 'gateway.mulesoft.com/v1alpha1',
    kind: 'ApiInstance',
    metadata: { name: MULESOFT_API_INSTANCE },
    spec: { address: 'http://0.0.0.0:8081', services: { upstream: { address: stripSlash(s.upstreamUrl) } } },
  };
  const api = {
    apiVersion: 'gateway.mulesoft.com/v1alpha1',
    kind: 'PolicyBinding',
    metadata: { name: 'okta-jwt-validation' },
    spec: {
      targetRef: { name: MULESOFT_API_INSTANCE },
      policyRef: { name: 'jwt-validation-flex' },
      order: 1,
      config: { ...baseConfig(s), validateCustomClaim: true, mandatoryCustomClaims: [{ key: 'iss', value: `#[vars.claimSet.iss == '${s.issuer}']` }] },
    },
  };
  const perResource = s.policies
    .filter((r) => r.scopes.length > 0)
    .map((rule, i) => {
      const methods = methodsRegex(rule);
      return {
        apiVersion: 'gateway.mulesoft.com/v1alpha1',
        kind: 'PolicyBinding',
        metadata: { name: `okta-jwt-${ruleSlug(rule)}` },
        spec: {
          targetRef: { name: MULESOFT_API_INSTANCE },
          policyRef: { name: 'jwt-validation-flex' },
          order: 2 + i,
          rules: [{ path: pathRegex(rule), ...(methods ? { methods } : {}) }],
          config: resourceConfig(s, rule),
        },
      };
    });
  const comment = [
    prov,
    'Apply with: copy this file into the Flex Gateway configuration folder (Local Mode), e.g. /usr/local/share/mulesoft/flex-gateway/conf.d/.',
    'Scopes: a resource needs ALL its scopes (one "contains" custom claim per scope).',
  ];
  return {
    kind: 'mulesoft_jwt',
    title: 'MuleSoft JWT Validation (Flex Gateway Local Mode, Anypoint Terraform)',
    files: [
      { path: 'flex-jwt-validation.yaml', content: yamlDocuments([apiInstance, api, ...perResource], comment) },
      { path: 'anypoint-jwt-validation.tf', content: terraform(s, prov) },
    ],
    values: [
      ['JWKS URL', oktaEndpoints(s.issuer).jwks],
      ['Supported audiences', s.audience],
      ['Issuer (custom claim)', s.issuer],
      ...s.policies.map((r): [string, string] => [`Resource ${r.key}`, r.scopes.map(scpContains).join(' and ') || '(no scope)']),
    ],
    semantics: 'MuleSoft JWT Validation grants a resource if the token has ALL its scopes (every mandatory custom claim must hold).',
    warnings: [],
    applyWith: 'Flex Local Mode: copy flex-jwt-validation.yaml into conf.d; Anypoint: terraform apply anypoint-jwt-validation.tf',
  };
}
