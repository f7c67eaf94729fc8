/**
 * Renders a verify report: a table for people (one row per check, grouped, each failure followed by its
 * cause and fix, the decoded token claims under the token checks) or JSON with the same results.
 */
import type { Style } from '../core/style.js';
import { GROUPS, type CheckResult, type CheckStatus, type VerifyReport } from './types.js';

const plain = (s: string) => s;
const LABEL: Record<CheckStatus, string> = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' };

export interface RenderOptions {
  style?: Style;
  /** Print the decoded claims of the access tokens (on by default, as the API Center app did). */
  claims?: boolean;
  /** Wrap width for long lines; 0 = no wrapping. */
  width?: number;
}

function statusCell(s: CheckStatus, style?: Style): string {
  const text = LABEL[s];
  if (!style) return text;
  return s === 'pass' ? style.green(text) : s === 'fail' ? style.red(text) : style.yellow(text);
}

function claimLines(c: CheckResult): string[] {
  const claims = c.data?.claims;
  if (!claims || typeof claims !== 'object') return [];
  return Object.entries(claims as Record<string, unknown>).map(([k, v]) => {
    let shown = JSON.stringify(v);
    if ((k === 'exp' || k === 'iat' || k === 'auth_time') && typeof v === 'number') shown += `  (${new Date(v * 1000).toISOString()})`;
    return `${k}: ${shown}`;
  });
}

export function renderTable(report: VerifyReport, opts: RenderOptions = {}): string {
  const s = opts.style;
  const bold = s?.bold ?? plain;
  const dim = s?.dim ?? plain;
  const idWidth = Math.max(...report.checks.map((c) => c.id.length), 5);
  const lines: string[] = [];
  let group = 0;
  for (const c of report.checks) {
    if (c.group !== group) {
      group = c.group;
      if (lines.length) lines.push('');
      lines.push(bold(`${group}. ${GROUPS[c.group]}`));
    }
    const head = `  ${statusCell(c.status, s)}  ${c.id.padEnd(idWidth)}  ${c.title}`;
    lines.push(head);
    const indent = ' '.repeat(10 + idWidth);
    if (c.status === 'fail') {
      lines.push(`${indent}cause: ${c.cause}`);
      lines.push(`${indent}fix:   ${c.fix}`);
    } else if (c.detail) {
      lines.push(dim(`${indent}${c.detail}`));
      if (c.status === 'skip' && c.fix) lines.push(dim(`${indent}how:  ${c.fix}`));
    }
    if (opts.claims !== false) for (const l of claimLines(c)) lines.push(dim(`${indent}  ${l}`));
    if (typeof c.data?.accessToken === 'string') lines.push(`${indent}  access token: ${c.data.accessToken}`);
  }
  const { pass, fail, skip } = report.counts;
  lines.push('');
  if (report.gateway) lines.push(dim(`Gateway: ${report.gateway}`));
  const summary = `${pass} passed, ${fail} failed, ${skip} skipped`;
  lines.push(bold(report.ok ? (s ? s.green(`verify: ${summary}`) : `verify: ${summary}`) : s ? s.red(`verify: ${summary}`) : `verify: ${summary}`));
  return lines.join('\n') + '\n';
}

export function renderJson(report: VerifyReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
