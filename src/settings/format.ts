/**
 * Renders a get-settings result as text (for a person), env (KEY=value lines) or json.
 * Secrets (client secrets, passwords) are masked unless showSecrets; the API token (Authorization Header) is
 * always masked in text and left out of env and json (a note says why): OKTA_API_TOKEN is never printed, logged or
 * written by the tool, and a file made from env or json never holds a placeholder in its place.
 */
import { maskSecret } from '../core/mask.js';
import type { Style } from '../core/style.js';
import { formatEnvLine } from './env-file.js';
import type { SettingsResult, SettingValue } from './profiles.js';

export type SettingsFormat = 'text' | 'env' | 'json';
export const FORMATS: readonly SettingsFormat[] = ['text', 'env', 'json'];

export interface RenderSettingsOptions {
  showSecrets: boolean;
  /** text: show where each value came from. */
  verbose?: boolean;
  style?: Style;
}

export function displayValue(v: SettingValue, opts: RenderSettingsOptions): string {
  if (v.token) return maskSecret(v.value);
  if (v.secret) return opts.showSecrets ? v.value : (v.masked ?? maskSecret(v.value));
  return v.value;
}

const plain = (s: string) => s;

export function renderSettings(result: SettingsResult, format: SettingsFormat, opts: RenderSettingsOptions): string {
  if (format === 'json') return renderJson(result, opts);
  if (format === 'env') return renderEnv(result, opts);
  return renderText(result, opts);
}

/** What stands in for the API token in env and json (for a file or a script): a note, never a masked placeholder. */
const TOKEN_NOTE = '"SSWS " followed by your API token: get-settings never prints it';

function renderJson(result: SettingsResult, opts: RenderSettingsOptions): string {
  const printed = result.values.filter((v) => !v.token);
  const withheld = result.values.filter((v) => v.token);
  const json: Record<string, unknown> = {
    profile: result.profile,
    values: Object.fromEntries(printed.map((v) => [v.key, displayValue(v, opts)])),
    labels: Object.fromEntries(result.values.map((v) => [v.key, v.label])),
    sources: Object.fromEntries(result.values.map((v) => [v.key, v.source])),
    missing: result.missing,
  };
  if (withheld.length > 0) json.withheld = Object.fromEntries(withheld.map((v) => [v.key, TOKEN_NOTE]));
  if (result.gatewayPolicies) json.gatewayPolicies = result.gatewayPolicies;
  return JSON.stringify(json, null, 2) + '\n';
}

function renderEnv(result: SettingsResult, opts: RenderSettingsOptions): string {
  const lines = [`# ${result.title}`];
  for (const v of result.values) lines.push(v.token ? `# ${v.key}: ${TOKEN_NOTE}` : formatEnvLine(v.key, displayValue(v, opts)));
  for (const m of result.missing) lines.push(`# ${m.key}: not found`);
  if (result.gatewayPolicies) {
    lines.push('# Gateway policies (resource -> scopes), entered in Anypoint, not read by the app:');
    lines.push(`# ${JSON.stringify(result.gatewayPolicies)}`);
  }
  return lines.join('\n') + '\n';
}

function renderText(result: SettingsResult, opts: RenderSettingsOptions): string {
  const s = opts.style;
  const bold = s?.bold ?? plain;
  const dim = s?.dim ?? plain;
  const cyan = s?.cyan ?? plain;
  const width = Math.max(0, ...result.values.map((v) => v.label.length), ...result.missing.map((m) => m.label.length));
  const lines = [bold(result.title)];
  for (const key of result.order) {
    const v = result.values.find((x) => x.key === key);
    const m = result.missing.find((x) => x.key === key);
    if (v) {
      const from = opts.verbose ? dim(`  (${v.source})`) : '';
      lines.push(`  ${v.label.padEnd(width)}  ${cyan(displayValue(v, opts))}${from}`);
    } else if (m) lines.push(`  ${m.label.padEnd(width)}  ${dim('(not found)')}`);
  }
  if (result.gatewayPolicies) {
    const entries = Object.entries(result.gatewayPolicies);
    const w = Math.max(...entries.map(([r]) => r.length));
    lines.push('', bold('Gateway policies (Anypoint: resource → required scopes)'));
    for (const [resource, scopes] of entries) lines.push(`  ${resource.padEnd(w)}  ${cyan(scopes.join(' '))}`);
    lines.push(dim(`  as JSON: ${JSON.stringify(result.gatewayPolicies)}`));
  }
  return lines.join('\n') + '\n';
}
