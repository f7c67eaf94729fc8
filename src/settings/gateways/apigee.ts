/**
 * Apigee (X / hybrid): an API proxy bundle (`apiproxy/`) with a VerifyJWT policy that reads Okta's JWKS, one
 * conditional flow per resource of the policy map, and RaiseFault policies for a missing token and a missing scope.
 *
 * - https://cloud.google.com/apigee/docs/api-platform/reference/policies/verify-jwt-policy (Algorithm,
 *   PublicKey/JWKS@uri, Issuer, Audience, TimeAllowance; claims land in `jwt.{policy}.claim.{name}`; failures are
 *   401 with a fault body such as {"fault":{"faultstring":"The Token has expired","detail":{"errorcode":"steps.jwt.TokenExpired"}}})
 * - https://cloud.google.com/apigee/docs/api-platform/reference/policies/raise-fault-policy
 * - https://cloud.google.com/apigee/docs/api-platform/fundamentals/flow-variables-and-conditions (JavaRegex `~~`
 *   matches the whole value; conditional flows are evaluated in order, the first match runs)
 * - https://cloud.google.com/apigee/docs/api-platform/fundamentals/build-simple-api-proxy (bundle layout; deploy
 *   with `apigeecli apis create bundle` or a zip upload)
 *
 * Where Apigee's docs are silent: how an array claim such as `scp` renders in `jwt.{policy}.claim.scp`. The scope
 * condition accepts the scope between delimiters `[`, `]`, `,`, `"` or a space, so it holds for a JSON array
 * (`["a","b"]`) and for a comma-separated list (`a,b`), and never matches a scope that merely contains another.
 *
 * Scope semantics: a flow raises the insufficient-scope fault if ANY of its scopes is missing, so a resource needs
 * ALL its scopes (the policy map's semantics).
 */
import type { PolicyRule } from '../../gateway/policies.js';
import { escapeRegex, oktaEndpoints, pathRegex, provenance, ruleSlug, stripSlash, type GatewayConfig, type GatewayFile, type GatewaySettings } from './common.js';

export const APIGEE_VERIFY_POLICY = 'VerifyJWT-Okta';
export const APIGEE_MISSING_TOKEN_POLICY = 'RF-MissingToken';
export const APIGEE_PROXY_NAME = 'solar-system-api';

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** XML comments may not contain "--". */
function xmlComment(text: string): string {
  return `<!-- ${text.replace(/--(?=\w)/g, 'profile ').replace(/--/g, '- -')} -->`;
}

/** The JavaRegex a scope claim must match for `scope` to be granted (see the module comment). */
export function apigeeScopeRegex(scope: string): string {
  const delim = '[\\[\\], \\x22]';
  return `(^|.*${delim})${escapeRegex(scope)}(${delim}.*|$)`;
}

export function apigeeScopeVariable(): string {
  return `jwt.${APIGEE_VERIFY_POLICY}.claim.scp`;
}

export function apigeeFlowCondition(rule: PolicyRule): string {
  const path = `(proxy.pathsuffix ~~ "${pathRegex(rule)}")`;
  return rule.method === '*' ? path : `${path} and (request.verb = "${rule.method}")`;
}

/** The condition under which the flow's RaiseFault runs: any of the rule's scopes missing. */
export function apigeeMissingScopeCondition(rule: PolicyRule): string {
  return rule.scopes.map((sc) => `!(${apigeeScopeVariable()} ~~ "${apigeeScopeRegex(sc)}")`).join(' or ');
}

function scopeFaultName(rule: PolicyRule): string {
  return `RF-InsufficientScope-${ruleSlug(rule)}`;
}

/** Most specific first (Apigee runs the first matching flow): longer path, then an exact method before `*`. */
function flowOrder(rules: PolicyRule[]): PolicyRule[] {
  return [...rules].sort((a, b) => b.path.length - a.path.length || Number(a.method === '*') - Number(b.method === '*'));
}

function raiseFault(name: string, status: number, reason: string, wwwAuthenticate: string, body: Record<string, string>, comment: string): string {
  return [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
    xmlComment(comment),
    `<RaiseFault continueOnError="false" enabled="true" name="${name}">`,
    `  <DisplayName>${name}</DisplayName>`,
    '  <FaultResponse>',
    '    <Set>',
    '      <Headers>',
    `        <Header name="WWW-Authenticate">${escapeXml(wwwAuthenticate)}</Header>`,
    '      </Headers>',
    // `{` would start a variable reference: @ and # delimit variables instead.
    `      <Payload contentType="application/json" variablePrefix="@" variableSuffix="#">${escapeXml(JSON.stringify(body))}</Payload>`,
    `      <StatusCode>${status}</StatusCode>`,
    `      <ReasonPhrase>${reason}</ReasonPhrase>`,
    '    </Set>',
    '  </FaultResponse>',
    '  <IgnoreUnresolvedVariables>true</IgnoreUnresolvedVariables>',
    '</RaiseFault>',
    '',
  ].join('\n');
}

export function apigeeConfig(s: GatewaySettings): GatewayConfig {
  const prov = provenance(s, '--apigee');
  const ep = oktaEndpoints(s.issuer);
  const xmlHead = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
  const ordered = flowOrder(s.policies.filter((r) => r.scopes.length > 0));
  const missingToken = 'request.header.Authorization = null or !(request.header.Authorization =| "Bearer ")';
  const files: GatewayFile[] = [];
  const policyNames = [APIGEE_MISSING_TOKEN_POLICY, APIGEE_VERIFY_POLICY, ...ordered.map(scopeFaultName)];

  files.push({
    path: `apiproxy/${APIGEE_PROXY_NAME}.xml`,
    content: [
      xmlHead,
      xmlComment(prov),
      `<APIProxy name="${APIGEE_PROXY_NAME}">`,
      `  <Description>${escapeXml(prov)}</Description>`,
      '  <DisplayName>Solar system API</DisplayName>',
      '  <Policies>',
      ...policyNames.map((n) => `    <Policy>${n}</Policy>`),
      '  </Policies>',
      '  <ProxyEndpoints>',
      '    <ProxyEndpoint>default</ProxyEndpoint>',
      '  </ProxyEndpoints>',
      '  <TargetEndpoints>',
      '    <TargetEndpoint>default</TargetEndpoint>',
      '  </TargetEndpoints>',
      '</APIProxy>',
      '',
    ].join('\n'),
  });

  const flows = ordered.flatMap((rule) => [
    `    <Flow name="${ruleSlug(rule)}">`,
    `      <Description>${escapeXml(`${rule.key}: needs ${rule.scopes.join(' and ')}`)}</Description>`,
    '      <Request>',
    '        <Step>',
    `          <Name>${scopeFaultName(rule)}</Name>`,
    `          <Condition>${escapeXml(apigeeMissingScopeCondition(rule))}</Condition>`,
    '        </Step>',
    '      </Request>',
    '      <Response/>',
    `      <Condition>${escapeXml(apigeeFlowCondition(rule))}</Condition>`,
    '    </Flow>',
  ]);
  files.push({
    path: 'apiproxy/proxies/default.xml',
    content: [
      xmlHead,
      xmlComment(prov),
      '<ProxyEndpoint name="default">',
      '  <Description>Okta access tokens checked by VerifyJWT; one flow per resource checks its scopes.</Description>',
      '  <PreFlow name="PreFlow">',
      '    <Request>',
      '      <Step>',
      `        <Name>${APIGEE_MISSING_TOKEN_POLICY}</Name>`,
      `        <Condition>${escapeXml(missingToken)}</Condition>`,
      '      </Step>',
      '      <Step>',
      `        <Name>${APIGEE_VERIFY_POLICY}</Name>`,
      '      </Step>',
      '    </Request>',
      '    <Response/>',
      '  </PreFlow>',
      '  <Flows>',
      ...flows,
      '  </Flows>',
      '  <PostFlow name="PostFlow">',
      '    <Request/>',
      '    <Response/>',
      '  </PostFlow>',
      '  <HTTPProxyConnection>',
      '    <BasePath>/</BasePath>',
      '  </HTTPProxyConnection>',
      '  <RouteRule name="default">',
      '    <TargetEndpoint>default</TargetEndpoint>',
      '  </RouteRule>',
      '</ProxyEndpoint>',
      '',
    ].join('\n'),
  });

  files.push({
    path: 'apiproxy/targets/default.xml',
    content: [
      xmlHead,
      xmlComment(prov),
      '<TargetEndpoint name="default">',
      '  <Description>The upstream solar system API.</Description>',
      '  <PreFlow name="PreFlow">',
      '    <Request/>',
      '    <Response/>',
      '  </PreFlow>',
      '  <Flows/>',
      '  <PostFlow name="PostFlow">',
      '    <Request/>',
      '    <Response/>',
      '  </PostFlow>',
      '  <HTTPTargetConnection>',
      `    <URL>${escapeXml(stripSlash(s.upstreamUrl))}</URL>`,
      '  </HTTPTargetConnection>',
      '</TargetEndpoint>',
      '',
    ].join('\n'),
  });

  files.push({
    path: `apiproxy/policies/${APIGEE_VERIFY_POLICY}.xml`,
    content: [
      xmlHead,
      xmlComment(prov),
      `<VerifyJWT continueOnError="false" enabled="true" name="${APIGEE_VERIFY_POLICY}">`,
      `  <DisplayName>${APIGEE_VERIFY_POLICY}</DisplayName>`,
      '  <Description>Verifies Okta access tokens against the authorization server JWKS, issuer and audience.</Description>',
      '  <Algorithm>RS256</Algorithm>',
      '  <PublicKey>',
      `    <JWKS uri="${escapeXml(ep.jwks)}"/>`,
      '  </PublicKey>',
      `  <Issuer>${escapeXml(s.issuer)}</Issuer>`,
      `  <Audience>${escapeXml(s.audience)}</Audience>`,
      '  <TimeAllowance>0s</TimeAllowance>',
      '</VerifyJWT>',
      '',
    ].join('\n'),
  });

  files.push({
    path: `apiproxy/policies/${APIGEE_MISSING_TOKEN_POLICY}.xml`,
    content: raiseFault(
      APIGEE_MISSING_TOKEN_POLICY,
      401,
      'Unauthorized',
      'Bearer realm="solar-system-api"',
      { error: 'invalid_request', error_description: 'The request has no Bearer access token.' },
      prov,
    ),
  });
  for (const rule of ordered) {
    const scopes = rule.scopes.join(' ');
    files.push({
      path: `apiproxy/policies/${scopeFaultName(rule)}.xml`,
      content: raiseFault(
        scopeFaultName(rule),
        403,
        'Forbidden',
        `Bearer realm="solar-system-api", error="insufficient_scope", scope="${scopes}"`,
        { error: 'insufficient_scope', error_description: `${rule.key} needs the scopes: ${scopes}` },
        prov,
      ),
    });
  }

  return {
    kind: 'apigee',
    title: 'Apigee X / hybrid (API proxy bundle, VerifyJWT)',
    files,
    values: [
      ['JWKS URI', ep.jwks],
      ['Issuer', s.issuer],
      ['Audience', s.audience],
      ['Scope variable', apigeeScopeVariable()],
      ...s.policies.map((r): [string, string] => [`Flow ${r.key}`, r.scopes.join(' and ') || '(no scope)']),
    ],
    semantics: 'Apigee (this bundle) grants a flow if the token has ALL of its scopes (the RaiseFault runs when any is missing).',
    warnings: [],
    applyWith: `zip -r ${APIGEE_PROXY_NAME}.zip apiproxy && apigeecli apis create bundle -n ${APIGEE_PROXY_NAME} -p ${APIGEE_PROXY_NAME}.zip -o $ORG -t $TOKEN`,
  };
}
