/**
 * The app's values through the settings module, exactly as `get-settings --mulesoft` finds them (environment >
 * .env > output files > derived > default), so the app reads what `get-settings --mulesoft --write-env` wrote.
 */
import { loadSettingsSources } from '../settings/load.js';
import { resolveSettings } from '../settings/profiles.js';
import { appConfig, type AppConfig } from './config.js';

export async function loadAppConfig(opts: { outputDir: string; envFile: string; env?: Record<string, string | undefined> }): Promise<AppConfig> {
  const src = await loadSettingsSources({ profile: 'mulesoft', outputDir: opts.outputDir, envFile: opts.envFile, env: opts.env ?? process.env });
  const result = resolveSettings('mulesoft', src);
  const values: Record<string, string> = {};
  for (const v of result.values) values[v.key] = v.value;
  const hints: Record<string, string> = {};
  for (const m of result.missing) hints[m.key] = m.hint;
  return appConfig(values, { envFile: opts.envFile, hints, gatewayPolicies: result.gatewayPolicies ?? {} });
}
