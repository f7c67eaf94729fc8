/**
 * get-settings' gateway profiles (`--kong`, `--kong-oss`, `--aws`, `--tyk`, `--apigee`, `--mulesoft_jwt`,
 * `--swag`, `--mulesoft --raml`): prints the values and the gateway's scope semantics, and with `--out DIR` writes
 * the files a person applies with that gateway's own tools (mode 0600, each written atomically).
 */
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs.js';
import type { Logger } from '../core/log.js';
import type { GatewayConfig, GatewayKind, KongMode } from '../settings/gateways/index.js';

export interface GatewayFlags {
  kong: boolean;
  kongOss: boolean;
  aws: boolean;
  tyk: boolean;
  apigee: boolean;
  mulesoft_jwt: boolean;
  swag: boolean;
  raml: boolean;
  mulesoft: boolean;
  mode?: KongMode;
  out?: string;
  policies?: string;
  upstream?: string;
  format: string;
  outputDir: string;
  envFile: string;
}

/** The gateway profile the flags choose, or undefined when none is asked for (the MuleSoft profiles then run). */
export function gatewayKindOf(flags: GatewayFlags): GatewayKind | 'kong-oss' | undefined {
  const chosen: (GatewayKind | 'kong-oss')[] = [];
  if (flags.kong) chosen.push('kong');
  if (flags.kongOss) chosen.push('kong-oss');
  if (flags.aws) chosen.push('aws');
  if (flags.tyk) chosen.push('tyk');
  if (flags.apigee) chosen.push('apigee');
  if (flags.mulesoft_jwt) chosen.push('mulesoft_jwt');
  if (flags.swag) chosen.push('swag');
  if (flags.raml) {
    if (!flags.mulesoft) throw new UsageError('--raml goes with --mulesoft.', { suggestion: 'Run `get-settings --mulesoft --raml`.' });
    chosen.push('raml');
  }
  if (chosen.length > 1) throw new UsageError(`Choose one gateway profile, not ${chosen.join(' and ')}.`);
  if (flags.mode !== undefined && chosen[0] !== 'kong') throw new UsageError('--mode goes with --kong.', { suggestion: 'Run `get-settings --kong --mode introspection`.' });
  if (chosen.length === 0 && (flags.out !== undefined || flags.policies !== undefined || flags.upstream !== undefined)) {
    throw new UsageError('--out, --policies and --upstream go with a gateway profile.', { suggestion: 'Add --kong, --aws, --tyk, --apigee, --mulesoft_jwt, --swag or --mulesoft --raml.' });
  }
  return chosen[0];
}

function renderText(cfg: GatewayConfig, sources: Record<string, string>, out: string | undefined): string {
  const width = Math.max(...cfg.values.map(([l]) => l.length));
  const lines = [
    cfg.title,
    ...cfg.values.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    '',
    `Scopes: ${cfg.semantics}`,
    ...cfg.warnings.map((w) => `Warning: ${w}`),
    `Apply with: ${cfg.applyWith}`,
    out === undefined
      ? `Files (add --out DIR to write them): ${cfg.files.map((f) => f.path).join(', ')}`
      : `Wrote (mode 0600): ${cfg.files.map((f) => join(out, f.path)).join(', ')}`,
    `From: ${[...new Set(Object.values(sources))].join(', ') || 'defaults'}`,
  ];
  return lines.join('\n');
}

export async function runGatewayProfile(kind: GatewayKind | 'kong-oss', flags: GatewayFlags, log: Logger): Promise<number> {
  // Loaded here, not at the top: the generators load yaml and zod, and --help must not.
  const { generateGatewayConfig, KONG_OSS_REFUSAL, KONG_OSS_SUGGESTION } = await import('../settings/gateways/index.js');
  const { resolveGatewaySettings } = await import('../settings/gateways/resolve.js');
  if (kind === 'kong-oss') throw new UsageError(`--kong-oss is refused: ${KONG_OSS_REFUSAL}`, { suggestion: KONG_OSS_SUGGESTION });
  const resolved = await resolveGatewaySettings({ outputDir: flags.outputDir, envFile: flags.envFile, policiesFile: flags.policies, upstreamUrl: flags.upstream });
  if (!resolved.settings) {
    for (const m of resolved.missing) log.warn(log.errStyle.red(`✖ ${m.key}: not found — ${m.hint}`));
    return 1;
  }
  const cfg = generateGatewayConfig(kind, resolved.settings, { kongMode: flags.mode });
  if (flags.out !== undefined) for (const f of cfg.files) await writeFileAtomic(join(flags.out, f.path), f.content, 0o600);
  if (flags.format === 'json') {
    log.result(JSON.stringify({ kind: cfg.kind, title: cfg.title, values: Object.fromEntries(cfg.values), semantics: cfg.semantics, warnings: cfg.warnings, applyWith: cfg.applyWith, sources: resolved.sources, files: cfg.files }, null, 2));
  } else {
    log.result(renderText(cfg, resolved.sources, flags.out));
  }
  for (const w of cfg.warnings) log.warn(log.errStyle.yellow(`⚠ ${w}`));
  return 0;
}
