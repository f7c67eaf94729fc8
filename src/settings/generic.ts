/**
 * The settings profile of any input that has no profile of its own (`get-settings --input FILE`): every value the
 * input saves to its output (`saveToOutput: true`), in the input's order, each looked up like the built-in
 * profiles' values: the environment, then .env, then the output file `<output-dir>/<input>.json`.
 * A value that is an object (an Okta object the input saved whole) is printed as one line of JSON, its secrets
 * (client_secret, credentials.password.value, …) masked unless --show-secrets.
 *
 * Pure: the input's keys and the sources in, settings out (src/settings/load.ts reads the files).
 */
import { join } from 'node:path';
import { isSecretName, maskDeep } from '../core/mask.js';
import type { OutputFile } from '../core/output-format.js';
import { latestOutputName } from '../core/output-names.js';
import { lookupValue } from '../resolve/sources.js';
import { outputFirst, type IgnoredSetting, type SettingsResult, type SettingsSources, type SettingValue, type MissingSetting } from './profiles.js';

export interface GenericProfile {
  /** The input's name ("my-gateway" for ./my-gateway.json): its output is `<output-dir>/<name>.json`. */
  name: string;
  /** How the person named it (for hints): `--input ./my-gateway.json`. */
  inputArg: string;
  /** The keys with saveToOutput, in the input's order. */
  keys: string[];
}

/** A value as one line: strings as they are, anything else as compact JSON. */
function oneLine(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v.trim() === '' ? undefined : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export function resolveGenericSettings(profile: GenericProfile, src: SettingsSources, output: OutputFile | undefined): SettingsResult {
  const outFile = join(src.outputDir, latestOutputName(profile.name));
  const values: SettingValue[] = [];
  const missing: MissingSetting[] = [];
  const ignored = new Map<string, IgnoredSetting>();
  for (const key of profile.keys) {
    const env = () => {
      const f = lookupValue({ set: {}, env: src.env, dotenv: src.dotenv, envFile: src.dotenvName }, key);
      return f && { value: f.value, source: f.source === 'env' ? 'environment' : src.dotenvName, raw: f.value as unknown, fromEnv: true };
    };
    const saved = () => {
      const raw = output?.values[key];
      const value = oneLine(raw);
      return value === undefined ? undefined : { value, source: outFile, raw, fromEnv: false };
    };
    const found = outputFirst(src, key, env, saved, ignored);
    const raw = found?.raw;
    const value = oneLine(raw);
    if (value === undefined) {
      missing.push({ key, label: key, hint: `run \`okta-bootstrap --input ${profile.inputArg}\` (it writes ${outFile}) or set ${key} in ${src.dotenvName}` });
      continue;
    }
    const source = found?.source ?? outFile;
    // An object is masked field by field (its id stays readable); a string by its key's name.
    const masked = typeof raw === 'object' && raw !== null ? JSON.stringify(maskDeep(raw, false, key)) : undefined;
    const secret = masked !== undefined ? masked !== value : isSecretName(key);
    values.push({ key, label: key, value, source, secret, token: false, ...(masked !== undefined && secret ? { masked } : {}) });
  }
  return { profile: profile.name, title: `Values of ${profile.name} (${outFile})`, values, missing, order: [...profile.keys], ignored: [...ignored.values()] };
}
