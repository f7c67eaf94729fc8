/**
 * Option values as zod schemas, the way shadcn's CLI parses its commands' options: commander reads the argv into
 * raw strings and booleans, then each command's action runs `parseOptions(cmd, itsSchema, raw)` to get typed values.
 * Every number, duration, port or URL flag of every command goes through the few schemas built here, so one kind of
 * flag has one parser and one message. A bad value is a UsageError (exit 2) naming the flag, the value and the
 * command's --help.
 *
 * zod is loaded when an action parses its options, not before: `--help` (and a usage error commander finds) never
 * pays for it (cold start; src/cli/get-settings.graph.test.ts checks the module graph). So a command declares its
 * schema as a function of the schemas below, and gets its options' type with `OptionsOf<typeof itsSchema>`.
 */
import type { Command } from 'commander';
import type { z as Zod } from 'zod';
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

/** The default of --request-timeout (every command that talks to Okta has it). */
export const DEFAULT_REQUEST_TIMEOUT = '30s';

function build(z: typeof Zod) {
  /** "90s", "10m", "1.5h", "600000ms" or a bare number of seconds → milliseconds (> 0). */
  const duration = z
    .string()
    .trim()
    .regex(DURATION, { error: 'takes a duration such as 90s, 10m or 600000ms' })
    .transform((raw) => {
      const m = DURATION.exec(raw);
      return m ? Number(m[1]) * unitMs(m[2]) : Number.NaN;
    })
    .pipe(z.number().positive({ error: 'takes a duration longer than 0, such as 90s, 10m or 600000ms' }));

  /** A whole number from `min` to `max` (no upper bound when omitted), written in decimal digits. */
  const wholeNumber = (min: number, max = Number.MAX_SAFE_INTEGER) => {
    const error = max === Number.MAX_SAFE_INTEGER ? `takes a whole number ≥ ${min}` : `takes a whole number from ${min} to ${max}`;
    return z
      .string()
      .trim()
      .regex(/^\d+$/, { error })
      .transform(Number)
      .pipe(z.number().int({ error }).min(min, { error }).max(max, { error }));
  };

  const probabilityError = 'takes a probability from 0 to 1';
  /** A probability from 0 to 1. */
  const probability = z
    .string()
    .trim()
    .regex(/^(\d+(\.\d*)?|\.\d+)$/, { error: probabilityError })
    .transform(Number)
    .pipe(z.number().min(0, { error: probabilityError }).max(1, { error: probabilityError }));

  /** A boolean switch (absent = false). */
  const flag = z.boolean().optional().transform(Boolean);

  return {
    z,
    duration,
    wholeNumber,
    probability,
    flag,
    /** A TCP port (0 lets the system pick a free one). */
    port: wholeNumber(0, 65535),
    /** An absolute URL. */
    url: z.string().trim().refine((s) => URL.canParse(s), { error: 'takes an absolute URL such as http://localhost:3000' }),
    /** An optional flag that takes an optional value (`--write-env [file]`). */
    optionalValue: z.union([z.string(), z.boolean()]).optional(),
    /** --quiet, --verbose, --debug (src/core/log.ts reads them). */
    common: z.object({ quiet: flag, verbose: flag, debug: flag }),
    /** The flags of src/cli/credentials.ts addOrgFlags: --local, --local-state, --env-file, --request-timeout. */
    org: z.object({ local: flag, localState: z.string(), envFile: z.string(), requestTimeout: duration.optional() }),
  };
}

export type OptionSchemas = ReturnType<typeof build>;
/** A command's options schema, declared over the shared schemas. */
export type OptionsSchema<T extends Zod.ZodType = Zod.ZodType> = (s: OptionSchemas) => T;
/** The parsed options of a command's schema. */
export type OptionsOf<F extends OptionsSchema> = Zod.output<ReturnType<F>>;
/** --local, --local-state, --env-file and --request-timeout, parsed. */
export type OrgOptionValues = Zod.output<OptionSchemas['org']>;

let built: OptionSchemas | undefined;
/** The shared schemas (loads zod on first use). */
export async function optionSchemas(): Promise<OptionSchemas> {
  built ??= build((await import('zod')).z);
  return built;
}

/** commander's collector for repeatable options. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** The flag an option key came from: maxWait → --max-wait, mulesoft_introspect → --mulesoft_introspect. */
export function flagName(key: PropertyKey): string {
  return `--${String(key).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * Parses a command's raw options with its schema. Every problem becomes a line of one UsageError (exit 2):
 * `--max-wait takes a duration such as 90s, 10m or 600000ms, not "soon"`.
 */
export async function parseOptions<T extends Zod.ZodType>(cmd: Command, schema: OptionsSchema<T>, raw: Record<string, unknown>): Promise<Zod.output<T>> {
  const r = schema(await optionSchemas()).safeParse(raw);
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
