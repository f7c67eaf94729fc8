/**
 * The one place errors are turned into text for a person. Every command sends its errors here.
 * Stack traces only with --debug.
 */
import { BootstrapError, InputError, type ExitCode } from '../core/errors.js';
import type { Style } from '../core/style.js';

export interface RenderOptions {
  debug: boolean;
  style: Style;
  /** Secrets that must never be printed, even inside an error message. */
  secrets?: string[];
}

export function exitCodeOf(err: unknown): ExitCode {
  if (err instanceof BootstrapError) return err.exitCode;
  const code = (err as { code?: string } | undefined)?.code;
  // commander's usage errors
  if (typeof code === 'string' && code.startsWith('commander.')) return 2;
  return 1;
}

export function renderError(err: unknown, opts: RenderOptions): string {
  const s = opts.style;
  const lines: string[] = [];
  if (err instanceof InputError) {
    lines.push(s.red(`✖ ${err.message}`));
    for (const p of err.problems) {
      const where = p.path.length > 0 ? p.path.join('.') : '(file)';
      const pos = p.line !== undefined ? ` (line ${p.line}${p.column !== undefined ? `, column ${p.column}` : ''})` : '';
      const tag = p.severity === 'error' ? s.red('error') : s.yellow('warning');
      lines.push(`  ${tag} ${s.bold(where)}${pos}: ${p.message}`);
      if (p.suggestion) lines.push(`        ${s.dim('→')} ${p.suggestion}`);
    }
  } else if (err instanceof BootstrapError) {
    const d = err.details;
    lines.push(s.red(`✖ ${err.message}`));
    if (d.key) lines.push(`  key:     ${d.key}${d.object ? ` (${d.object})` : ''}`);
    else if (d.object) lines.push(`  object:  ${d.object}`);
    if (d.request) lines.push(`  request: ${d.request}${d.status ? ` → ${d.status}` : ''}`);
    if (d.errorCode) lines.push(`  Okta:    ${d.errorCode}${d.errorSummary ? ` ${d.errorSummary}` : ''}`);
    for (const c of d.errorCauses ?? []) lines.push(`           - ${c}`);
    if (d.suggestion) lines.push(`  ${s.cyan('→')} ${d.suggestion}`);
  } else {
    lines.push(s.red(`✖ ${err instanceof Error ? err.message : String(err)}`));
    if (!opts.debug) lines.push(s.dim('  (run again with --debug for details)'));
  }
  if (opts.debug && err instanceof Error && err.stack) {
    lines.push(s.dim(err.stack));
    let cause: unknown = (err as { cause?: unknown }).cause;
    while (cause instanceof Error) {
      lines.push(s.dim(`caused by: ${cause.stack ?? cause.message}`));
      cause = (cause as { cause?: unknown }).cause;
    }
  }
  let text = lines.join('\n');
  for (const secret of opts.secrets ?? []) if (secret && secret.length >= 6) text = text.split(secret).join('********');
  return text;
}
