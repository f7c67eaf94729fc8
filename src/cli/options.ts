/**
 * Option values as zod schemas, the way shadcn's CLI parses its commands' options: commander reads the argv into
 * raw strings and booleans, then each command's action runs `parseOptions(cmd, schema, raw)` to get typed values.
 * Every number, duration, port or URL flag of every command goes through the few schemas below, so one flag type
 * has one parser and one message. A bad value is a UsageError (exit 2) naming the flag, the value and the command's
 * --help. Light on purpose: the --help path loads this module (zod, no SDK, no inquirer).
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { commandPath } from './common.js';

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/;

function unitMs(unit: string | undefined): number {
  switch (unit) {
    case 'ms':
      return 1;
    case 'm':
      return 60_000;
    case 'h':
      return 3_600_000;
    default:
      return 1000; // a bare number is seconds
  }
}

/** "90s", "10m", "1.5h", "600000ms" or a bare number of seconds → milliseconds (> 0). */
export const duration = z
  .string()
  .trim()
  .regex(DURATION, { error: 'takes a duration such as 90s, 10m or 600000ms' })
  .transform((raw) => {
    const m = DURATION.exec(raw);
    return m ? Number(m[1]) * unitMs(m[2]) : Number.NaN;
  })
  .pipe(z.number().positive({ error: 'takes a duration longer than 0, such as 90s, 10m or 600000ms' }));

/** A whole number from `min` to `max` (no upper bound when omitted), written in decimal digits. */
export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER) {
  const error = max === Number.MAX_SAFE_INTEGER ? `takes a whole number ≥ ${min}` : `takes a whole number from ${min} to ${max}`;
  return z
    .string()
    .trim()
    .regex(/^\d+$/, { error })
    .transform(Number)
    .pipe(z.number().int({ error }).min(min, { error }).max(max, { error }));
}

/** A TCP port (0 lets the system pick a free one). */
export const port = wholeNumber(0, 65535);

/** A probability from 0 to 1. */
export const probability = z
  .string()
  .trim()
  .regex(/^(\d+(\.\d*)?|\.\d+)$/, { error: 'takes a probability from 0 to 1' })
  .transform(Number)
  .pipe(z.number().min(0, { error: 'takes a probability from 0 to 1' }).max(1, { error: 'takes a probability from 0 to 1' }));

/** An absolute URL. */
export const url = z.string().trim().refine((s) => URL.canParse(s), { error: 'takes an absolute URL such as http://localhost:3000' });

/** A boolean switch (absent = false). */
export const flag = z.boolean().optional().transform(Boolean);

/** --quiet, --verbose, --debug (src/core/log.ts reads them). */
export const commonOptions = z.object({ quiet: flag, verbose: flag, debug: flag });

/** --request-timeout: every command that talks to Okta has it. */
export const DEFAULT_REQUEST_TIMEOUT = '30s';
export const requestTimeout = z.object({ requestTimeout: duration });

/** commander's collector for repeatable options. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** The flag an option key came from: maxWait → --max-wait, mulesoft_introspect → --mulesoft_introspect. */
export function flagName(key: PropertyKey): string {
  return `--${String(key).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * Parses a command's raw options with its schema. Every problem becomes one line of one UsageError (exit 2):
 * `--max-wait takes a duration such as 90s, 10m or 600000ms, not "soon"`.
 */
export function parseOptions<S extends z.ZodType>(cmd: Command, schema: S, raw: Record<string, unknown>): z.output<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const lines = r.error.issues.map((issue) => {
    const key = issue.path[0];
    if (key === undefined) return issue.message;
    const given = raw[String(key)];
    const shown = typeof given === 'string' ? `, not "${given}"` : '';
    return `${flagName(key)} ${issue.message}${shown}`;
  });
  const message = lines.length === 1 ? `${lines[0]}.` : `${lines.length} problems with the options:\n${lines.map((l) => `    - ${l}`).join('\n')}`;
  throw new UsageError(message, { suggestion: `Run "${commandPath(cmd)} --help" for the options and examples.` });
}
