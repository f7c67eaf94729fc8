/**
 * Typed errors shared by every module. Each carries what a person needs to fix the problem:
 * the input key and object it concerns, Okta's errorCode / errorSummary / errorCauses when Okta
 * answered, and a suggestion. The CLI renders them in one place (src/cli/render-error.ts) and
 * maps them to exit codes: 1 for a failed run or check, 2 for bad usage or bad input.
 */

/** 0 success, 1 failed run or check, 2 bad usage or input, 130 interrupted (Ctrl-C). */
export type ExitCode = 0 | 1 | 2 | 130;

export interface ErrorDetails {
  /** The input key whose object or value failed, e.g. "SILVER_GROUP". */
  key?: string;
  /** The Okta object class or a short description of the object, e.g. "okta:user_group". */
  object?: string;
  /** HTTP status, when an HTTP exchange failed. */
  status?: number;
  /** HTTP method and path of the failed request, secrets never included. */
  request?: string;
  /** Okta's errorCode (E0000001, ...) or an OAuth error code (invalid_client, ...). */
  errorCode?: string;
  errorSummary?: string;
  /** Every errorCauses[].errorSummary, in order. */
  errorCauses?: string[];
  /** One line saying what to do next. */
  suggestion?: string;
  cause?: unknown;
}

export class BootstrapError extends Error {
  readonly exitCode: ExitCode;
  readonly details: ErrorDetails;

  constructor(message: string, details: ErrorDetails = {}, exitCode: ExitCode = 1) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.details = details;
    this.exitCode = exitCode;
  }
}

/** Bad command-line usage: unknown flag combination, missing argument. Exit 2. */
export class UsageError extends BootstrapError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details, 2);
  }
}

export type ProblemSeverity = 'error' | 'warning';

/** One problem found in an input file. `path` is the JSON path, e.g. ["SILVER_USER", "default", "profile"]. */
export interface InputProblem {
  severity: ProblemSeverity;
  path: (string | number)[];
  message: string;
  /** What to do about it. */
  suggestion?: string;
  /** 1-based line and column, for JSON syntax errors and where known. */
  line?: number;
  column?: number;
}

/** Bad input file(s): every problem is reported at once. Exit 2, and nothing is sent to Okta. */
export class InputError extends BootstrapError {
  readonly file: string;
  readonly problems: InputProblem[];

  /** `what`: the kind of file, for the message ("input", or "output file" for a broken output file). */
  constructor(file: string, problems: InputProblem[], what = 'input') {
    const errors = problems.filter((p) => p.severity === 'error').length;
    super(`${file}: ${errors} problem${errors === 1 ? '' : 's'} in the ${what}`, {}, 2);
    this.file = file;
    this.problems = problems;
  }
}

/** Missing or malformed configuration (OKTA_TENANT, OKTA_API_TOKEN, ...). Exit 2. */
export class ConfigError extends BootstrapError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details, 2);
  }
}

/** Okta answered with an error (management error object or OAuth error). Exit 1. */
export class OktaApiError extends BootstrapError {
  constructor(message: string, details: ErrorDetails) {
    super(message, details, 1);
  }
}

/** The org could not be reached (DNS, refused, reset, timeout) after retries. Exit 1. */
export class NetworkError extends BootstrapError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details, 1);
  }
}

/** The person chose (q)uit or pressed Ctrl-C. Exit 1: the run did not finish. */
export class QuitError extends BootstrapError {
  constructor(message = 'Stopped at your request.', details: ErrorDetails = {}, exitCode: ExitCode = 1) {
    super(message, details, exitCode);
  }
}

/** Ctrl-C (SIGINT): exit 130, the shell's code for a run stopped by an interrupt (128 + SIGINT's 2). */
export class InterruptedError extends QuitError {
  constructor(message = 'Interrupted (Ctrl-C).', details: ErrorDetails = {}) {
    super(message, details, 130);
  }
}

/** A check (verify, get-settings completeness) failed. Exit 1. */
export class CheckFailedError extends BootstrapError {
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details, 1);
  }
}

export function isBootstrapError(e: unknown): e is BootstrapError {
  return e instanceof BootstrapError;
}
