/**
 * AWS API Gateway (HTTP API): a CloudFormation template with a JWT authorizer and one route per resource of the
 * policy map, each with its AuthorizationScopes.
 *
 * - https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html: API Gateway checks
 *   `iss` against the authorizer's Issuer, `aud` (or `client_id`) against its Audience, `exp`/`nbf`/`iat`, and the
 *   `scope` or `scp` claim: "If the route has scopes, the token must include at least one of the route's scopes".
 *   Failures are 401 `{"message":"Unauthorized"}`; missing scopes are 403 `{"message":"Forbidden"}`.
 * - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigatewayv2-authorizer.html
 * - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigatewayv2-route.html
 *
 * Okta traps this avoids:
 * - "the token does not have a valid audience": Audience must be the authorization server's audience
 *   (its `audiences`, the `aud` of Okta's access tokens), not the app's client id.
 * - Issuer must be OKTA_AZ_SERVER_ISSUER exactly (no trailing slash, no /.well-known suffix).
 * - AuthorizationScopes are OR'ed: a route with several scopes is granted with ANY one of them.
 */
import type { PolicyRule } from '../../gateway/policies.js';
import { provenance, rulePascal, stripSlash, yamlWithComment, type GatewayConfig, type GatewaySettings } from './common.js';

/** The route keys a rule needs: the path itself and everything below it ({proxy+}). */
export function awsRouteKeys(rule: PolicyRule): { key: string; suffix: string; upstreamPath: string }[] {
  const method = rule.method === '*' ? 'ANY' : rule.method;
  if (rule.path === '/') return [{ key: `${method} /{proxy+}`, suffix: 'Any', upstreamPath: '/{proxy}' }];
  return [
    { key: `${method} ${rule.path}`, suffix: '', upstreamPath: rule.path },
    { key: `${method} ${rule.path}/{proxy+}`, suffix: 'Nested', upstreamPath: `${rule.path}/{proxy}` },
  ];
}

export function awsConfig(s: GatewaySettings): GatewayConfig {
  const desc = provenance(s, '--aws');
  const resources: Record<string, unknown> = {
    HttpApi: {
      Type: 'AWS::ApiGatewayV2::Api',
      Properties: { Name: `solar-system-api-${s.tag}`, ProtocolType: 'HTTP', Description: desc },
    },
    OktaJwtAuthorizer: {
      Type: 'AWS::ApiGatewayV2::Authorizer',
      Properties: {
        ApiId: { Ref: 'HttpApi' },
        AuthorizerType: 'JWT',
        Name: `okta-${s.tag}`,
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: { Issuer: s.issuer, Audience: [s.audience] },
      },
    },
    DefaultStage: {
      Type: 'AWS::ApiGatewayV2::Stage',
      Properties: { ApiId: { Ref: 'HttpApi' }, StageName: '$default', AutoDeploy: true, Description: desc },
    },
  };
  for (const rule of s.policies) {
    for (const rk of awsRouteKeys(rule)) {
      const name = `${rulePascal(rule)}${rk.suffix}`;
      resources[`${name}Integration`] = {
        Type: 'AWS::ApiGatewayV2::Integration',
        Properties: {
          ApiId: { Ref: 'HttpApi' },
          Description: `${rk.key} → upstream`,
          IntegrationType: 'HTTP_PROXY',
          IntegrationMethod: rule.method === '*' ? 'ANY' : rule.method,
          IntegrationUri: `${stripSlash(s.upstreamUrl)}${rk.upstreamPath}`,
          PayloadFormatVersion: '1.0',
        },
      };
      resources[`${name}Route`] = {
        Type: 'AWS::ApiGatewayV2::Route',
        Properties: {
          ApiId: { Ref: 'HttpApi' },
          RouteKey: rk.key,
          AuthorizationType: 'JWT',
          AuthorizerId: { Ref: 'OktaJwtAuthorizer' },
          AuthorizationScopes: rule.scopes,
          Target: { 'Fn::Join': ['/', ['integrations', { Ref: `${name}Integration` }]] },
        },
      };
    }
  }
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: desc,
    Resources: resources,
    Outputs: { ApiEndpoint: { Value: { 'Fn::GetAtt': ['HttpApi', 'ApiEndpoint'] } } },
  };
  const comment = [
    desc,
    `Apply with: aws cloudformation deploy --template-file aws-http-api.yaml --stack-name solar-system-api-${s.tag}`,
    'Scopes: API Gateway grants a route if the token has ANY of its AuthorizationScopes.',
  ];
  return {
    kind: 'aws',
    title: 'AWS API Gateway HTTP API (CloudFormation, JWT authorizer)',
    files: [{ path: 'aws-http-api.yaml', content: yamlWithComment(template, comment) }],
    values: [
      ['Issuer', s.issuer],
      ['Audience', s.audience],
      ['Identity source', '$request.header.Authorization'],
      ...s.policies.map((r): [string, string] => [`Route ${r.key}`, r.scopes.join(', ') || '(no scope)']),
    ],
    semantics: 'AWS grants a route if the token has ANY of its scopes (AuthorizationScopes are OR\'ed).',
    warnings: s.policies.some((r) => r.scopes.length > 1)
      ? ['A resource lists several scopes: AWS grants it with ANY one of them, not all.']
      : [],
    applyWith: `aws cloudformation deploy --template-file aws-http-api.yaml --stack-name solar-system-api-${s.tag}`,
  };
}
