/**
 * Reads what get-settings (and verify) resolve from: the output files in --output-dir, the environment and the
 * .env file (through src/resolve/sources.ts, the one precedence rule), the keys each output's input reads from
 * its objects (the input file its record names), and with --local the local tenant's state file. src/settings/profiles.ts then turns these values into settings without touching a file.
 * Reads files only: never the Okta SDK or inquirer (a test checks get-settings' module graph).
 */
import { readJsonFile } from '../core/fs.js';
import { join } from 'node:path';
import type { EnvLike } from '../core/config.js';
import { ConfigError } from '../core/errors.js';
import { readOutputFile, type OutputFile } from '../core/output-format.js';
import { isRecord } from '../core/json.js';
import { latestOutputName } from '../core/output-names.js';
import { loadValueSources, recordKeysFromObjects } from '../resolve/sources.js';
import { outputsFor, type LocalTenantValues, type SettingsProfileName, type SettingsSources } from './profiles.js';

/** Reads the local tenant's state file without starting it: `orgUrl` and `apiToken` (src/local-tenant/types.ts TenantState). */
export async function readLocalTenantValues(file: string): Promise<LocalTenantValues> {
  const state = await readJsonFile(file, {
    what: 'local tenant state',
    missing: () =>
      new ConfigError(`No local tenant state at ${file}.`, {
        suggestion: 'Run `okta-bootstrap --mulesoft --local` (or `okta-bootstrap local serve`) first, or drop --local.',
      }),
  });
  if (!isRecord(state)) throw new ConfigError(`The local tenant state ${file} is not an object.`);
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return { file, orgUrl: str(state.orgUrl), apiToken: str(state.apiToken) };
}

export interface LoadSourcesOptions {
  /** The profile whose output files to read; or `outputs`, the inputs whose output files to read. */
  profile?: SettingsProfileName;
  outputs?: readonly string[];
  outputDir: string;
  envFile: string;
  env?: EnvLike;
  /** The local tenant state file, with --local. */
  localState?: string;
  /**
   * get-settings: a value the outputs' inputs read from their objects comes from the output first (SettingsSources
   * fromObjects), so that it prints what the run made. verify and the app leave it out: they check and use what
   * the person configured (the environment, .env), and verify names a value there that is not the org's.
   */
  objectsFirst?: boolean;
}

export async function loadSettingsSources(opts: LoadSourcesOptions): Promise<SettingsSources> {
  const outputs: Record<string, OutputFile | undefined> = {};
  for (const name of opts.outputs ?? (opts.profile ? outputsFor(opts.profile) : [])) {
    const file = join(opts.outputDir, latestOutputName(name));
    try {
      outputs[name] = await readOutputFile(file);
    } catch (e) {
      throw new ConfigError(`Cannot read ${file}: ${(e as Error).message}`, {
        suggestion: `Re-run \`okta-bootstrap --${name}\` to rewrite it, or point --output-dir at the right folder.`,
      });
    }
  }
  const { env, dotenv } = loadValueSources({ envFile: opts.envFile, env: opts.env ?? process.env });
  // the keys each output's input read from its objects: the output gives them before the environment and .env
  const fromObjects = new Set<string>();
  if (opts.objectsFirst) for (const out of Object.values(outputs)) for (const k of await recordKeysFromObjects(out)) fromObjects.add(k);
  return {
    fromObjects,
    env,
    dotenv,
    dotenvName: opts.envFile,
    outputDir: opts.outputDir,
    outputs,
    local: opts.localState ? await readLocalTenantValues(opts.localState) : undefined,
  };
}
