/**
 * The dynamic client registration body Anypoint's "OpenID Connect Dynamic Client Registration" client provider
 * POSTs to Okta's /oauth2/v1/clients (with Authorization: SSWS …) when an app is created in Exchange: one place for
 * every test that plays Anypoint's part.
 */
export interface AnypointDcrBody extends Record<string, unknown> {
  client_name: string;
  redirect_uris: string[];
  response_types: string[];
  grant_types: string[];
}

export function anypointDcrBody(clientName: string, redirectUri = 'http://localhost:8080'): AnypointDcrBody {
  return {
    client_name: clientName,
    client_uri: null,
    logo_uri: null,
    redirect_uris: [redirectUri],
    response_types: ['code', 'token', 'id_token'],
    grant_types: ['authorization_code', 'implicit'],
    token_endpoint_auth_method: 'client_secret_basic',
    application_type: 'web',
  };
}
