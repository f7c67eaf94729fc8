/** The result model of `verify`: a flat list of checks in five groups, each pass / fail / skip. */

export type CheckStatus = 'pass' | 'fail' | 'skip';

export const GROUPS = {
  1: 'Authorization server',
  2: 'Introspection credentials',
  3: 'Configuration audit',
  4: 'Live OAuth dance',
  5: 'Access matrix through the gateway',
  6: 'Objects the input recorded',
} as const;

export type GroupNumber = keyof typeof GROUPS;

export interface CheckResult {
  /** Stable id, e.g. "audit.user.gold"; tests and --json consumers key on it. */
  id: string;
  group: GroupNumber;
  title: string;
  status: CheckStatus;
  /** What was seen (pass) or why it was skipped (skip). */
  detail?: string;
  /** fail: one line saying what is wrong, naming the object and where the value came from. */
  cause?: string;
  /** fail / skip: one line saying what to do. */
  fix?: string;
  /** Extra structured data, e.g. the decoded access-token claims. */
  data?: Record<string, unknown>;
}

export interface VerifyReport {
  ok: boolean;
  counts: Record<CheckStatus, number>;
  checks: CheckResult[];
  /** The gateway the matrix ran against ("PROXY_URI …" or "local gateway …"). */
  gateway?: string;
}

export function makeReport(checks: CheckResult[], gateway?: string): VerifyReport {
  const counts: Record<CheckStatus, number> = { pass: 0, fail: 0, skip: 0 };
  for (const c of checks) counts[c.status]++;
  return { ok: counts.fail === 0, counts, checks, ...(gateway ? { gateway } : {}) };
}

/**
 * What one check decided, before the registry adds its id, group and title (see org-checks.ts): the outcome
 * of a pure check function.
 */
export type Verdict =
  | { readonly status: 'pass'; readonly detail?: string; readonly data?: Record<string, unknown> }
  | { readonly status: 'fail'; readonly cause: string; readonly fix: string; readonly data?: Record<string, unknown> }
  | { readonly status: 'skip'; readonly detail: string; readonly fix?: string };

export function passed(detail?: string): Verdict {
  return { status: 'pass', ...(detail ? { detail } : {}) };
}

export function failed(cause: string, fix: string): Verdict {
  return { status: 'fail', cause, fix };
}

export function skipped(detail: string, fix?: string): Verdict {
  return { status: 'skip', detail, ...(fix ? { fix } : {}) };
}

/** Small constructors that keep check code short. */
export function pass(group: GroupNumber, id: string, title: string, detail?: string, data?: Record<string, unknown>): CheckResult {
  return { id, group, title, status: 'pass', ...(detail ? { detail } : {}), ...(data ? { data } : {}) };
}

export function fail(group: GroupNumber, id: string, title: string, cause: string, fix: string, data?: Record<string, unknown>): CheckResult {
  return { id, group, title, status: 'fail', cause, fix, ...(data ? { data } : {}) };
}

export function skip(group: GroupNumber, id: string, title: string, detail: string, fix?: string): CheckResult {
  return { id, group, title, status: 'skip', detail, ...(fix ? { fix } : {}) };
}
