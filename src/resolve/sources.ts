/**
 * Where values come from, first one wins: --set KEY=VALUE, the process environment, the .env file (dotenv,
 * chosen with --env-file), then the input's default (the caller's fallback). An empty environment variable
 * counts as unset, as in src/core/config.ts.
 */
import { UsageError } from '../core/errors.js';
import { readEnvFile } from '../core/config.js';
import { KEY_NAME } from '../input/refs.js';

export interface ValueSources {
  set: Record<string, string>;
  env: Record<string, string | undefined>;
  dotenv: Record<string, string>;
  /** The dotenv file read (for messages), e.g. ".env". */
  envFile: string;
}

/** The API token never becomes a value (it would reach output files and the screen); validation refuses it too. */
export const NEVER_A_VALUE = ['OKTA_API_TOKEN', 'OKTA_CLIENT_TOKEN'];

export type ValueSourceName = 'set' | 'env' | 'dotenv';

/** Parses --set values ("KEY=VALUE", the value may contain "="); a malformed one is a UsageError. */
export function parseSetFlags(set: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of set) {
    const eq = s.indexOf('=');
    const key = eq > 0 ? s.slice(0, eq).trim() : '';
    if (!KEY_NAME.test(key)) {
      throw new UsageError(`--set takes KEY=VALUE, not "${s}".`, {
        suggestion: 'E.g. --set PORT=9090 (KEY is letters, digits and _; quote the whole argument if VALUE has spaces).',
      });
    }
    out[key] = s.slice(eq + 1);
  }
  return out;
}

export function loadValueSources(opts: { set?: string[]; envFile?: string; env?: NodeJS.ProcessEnv } = {}): ValueSources {
  const envFile = opts.envFile ?? '.env';
  return {
    set: parseSetFlags(opts.set ?? []),
    env: { ...(opts.env ?? process.env) },
    dotenv: readEnvFile(envFile),
    envFile,
  };
}

/** The first of --set, process environment, .env that has `key`. */
export function externalValue(src: ValueSources, key: string): { value: string; source: ValueSourceName } | undefined {
  if (NEVER_A_VALUE.includes(key)) return undefined;
  if (Object.prototype.hasOwnProperty.call(src.set, key)) return { value: src.set[key]!, source: 'set' };
  const e = src.env[key];
  if (e !== undefined && e !== '') return { value: e, source: 'env' };
  if (Object.prototype.hasOwnProperty.call(src.dotenv, key)) return { value: src.dotenv[key]!, source: 'dotenv' };
  return undefined;
}

/** For messages: "--set", "the environment", ".env". */
export function describeSource(src: ValueSources, source: ValueSourceName): string {
  return source === 'set' ? '--set' : source === 'env' ? 'the environment' : src.envFile;
}
