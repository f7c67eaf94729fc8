/**
 * Okta error objects. Every error the tenant answers with is built here, so the shape
 * (`errorCode, errorSummary, errorLink, errorId, errorCauses`) is the same everywhere.
 * Route handlers and steps throw an OktaHttpError; the server's error handler sends it.
 */
import { newErrorId } from './ids.js';

export interface OktaErrorBody {
  errorCode: string;
  errorSummary: string;
  errorLink: string;
  errorId: string;
  errorCauses: { errorSummary: string }[];
}

export interface OAuthErrorBody {
  error: string;
  error_description: string;
}

export class OktaHttpError extends Error {
  readonly status: number;
  readonly body: OktaErrorBody | OAuthErrorBody;
  readonly headers: Record<string, string>;

  constructor(status: number, body: OktaErrorBody | OAuthErrorBody, headers: Record<string, string> = {}) {
    super('errorSummary' in body ? body.errorSummary : body.error_description);
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** The Okta error object for `status`, as a throwable. `causes` are errorCauses[].errorSummary texts. */
export function oktaError(status: number, code: string, summary: string, causes: string[] = []): OktaHttpError {
  return new OktaHttpError(status, {
    errorCode: code,
    errorSummary: summary,
    errorLink: code,
    errorId: newErrorId(),
    errorCauses: causes.map((errorSummary) => ({ errorSummary })),
  });
}

/** An OAuth-style error (`{error, error_description}`), as DCR and the OAuth endpoints answer. */
export function oauthError(status: number, error: string, description: string): OktaHttpError {
  return new OktaHttpError(status, { error, error_description: description });
}

/** 400 E0000001 "Api validation failed: <fields>" with one cause per problem ("field: message"). */
export function validationError(causes: { field: string; message: string }[]): OktaHttpError {
  const fields = [...new Set(causes.map((c) => c.field))].join(', ');
  return oktaError(400, 'E0000001', `Api validation failed: ${fields}`, causes.map((c) => `${c.field}: ${c.message}`));
}

/** 404 E0000007 "Not found: Resource not found: <id> (<Type>)", Okta's concrete form. */
export function notFound(id: string, type: string): OktaHttpError {
  return oktaError(404, 'E0000007', `Not found: Resource not found: ${id} (${type})`);
}

export const invalidToken = (): OktaHttpError => oktaError(401, 'E0000011', 'Invalid token provided');
export const notWellFormed = (): OktaHttpError => oktaError(400, 'E0000003', 'The request body was not well-formed.');
export const forbidden = (): OktaHttpError => oktaError(403, 'E0000006', 'You do not have permission to perform the requested action');
export const invalidSearch = (): OktaHttpError => oktaError(400, 'E0000031', 'Invalid search criteria.');

/** The texts Okta uses in errorCauses (https://developer.okta.com/docs/reference/error-codes/ and answers seen from real orgs). */
export const MSG = {
  blank: 'The field cannot be left blank',
  duplicate: 'An object with this field already exists in the current organization',
  notFound: 'Resource not found',
} as const;

/**
 * Collects validation problems for one request so a response names every bad field at once
 * (as Okta's errorCauses do), then throws them together.
 */
export class Problems {
  readonly list: { field: string; message: string }[] = [];
  add(field: string, message: string): void {
    this.list.push({ field, message });
  }
  get empty(): boolean {
    return this.list.length === 0;
  }
  throwIfAny(): void {
    if (this.list.length) throw validationError(this.list);
  }
}

/**
 * 415: a body in another content type than the route takes (the management API takes `application/json` only,
 * https://developer.okta.com/docs/reference/core-okta-api/#media-types ). Okta's error-code list
 * (https://developer.okta.com/docs/reference/error-codes/) has no code for this status; E0000003, its code for a
 * body it cannot read, is the nearest, with a summary that names the accepted type.
 */
export const unsupportedMediaType = (): OktaHttpError =>
  oktaError(415, 'E0000003', 'Unsupported Media Type: the request body must be sent as application/json.');
