/**
 * Random sequences of okta-bootstrap runs on one local tenant, for the records property test: the steps, their
 * fast-check arbitraries, the command line of each, and a runner that executes one step (with kill -9 when asked)
 * and says what went wrong, with enough of the sequence and the CLI's output to reproduce it by hand.
 */
import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { z } from 'zod';
import type { Env } from '../e2e/apply-support.js';
import { ROOT, type CliResult } from './cli.js';
import { killAfterWrites } from './kill.js';
import { orgObjects, recordsInvariant, type InvariantReport, type OrgObject } from './records.js';
import { sdkClient, type Sdk } from './org.js';

/** The inputs a sequence draws from: the two built-ins and a copy of --mulesoft under another name. */
export type InputChoice = 'mulesoft' | 'mulesoft_policy' | 'copy';
/** The copy's file name (its records are `copy.json`, `copy.<TAG>.json`). */
export const COPY_FILE = 'copy.json';

export type TagChoice = { kind: 'keep' } | { kind: 'new' } | { kind: 'tag'; tag: string };
export type DestroyChoice = { kind: 'current' } | { kind: 'tag'; tag: string } | { kind: 'all' };

export interface RunStep {
  kind: 'run';
  input: InputChoice;
  tag: TagChoice;
  /** `--set FAKE_USER_DOMAIN=…` (only the inputs that have the key). */
  domain?: string;
  /** SIGKILL once the tenant has logged this many of the run's write requests. */
  killAfter?: number;
}

export interface DestroyStep {
  kind: 'destroy';
  input: InputChoice;
  which: DestroyChoice;
}

export type Step = RunStep | DestroyStep;

/** A small set of TAGs, so that sets are revisited. */
export const TAGS = ['ta', 'tb', 'tc'] as const;
const DOMAINS = ['example.com', 'example.org'] as const;
const HAS_DOMAIN: ReadonlySet<InputChoice> = new Set(['mulesoft', 'copy']);

export interface StepOptions {
  /** Draw `destroy --tag X` and `destroy --all` too (flags of destroy that choose sets). */
  destroySets: boolean;
  /** The largest k for kill -9 after the k-th write (a first --mulesoft run sends 8, --mulesoft_policy 5). */
  maxKillAfter: number;
}

export function stepArbitrary(opts: StepOptions): fc.Arbitrary<Step> {
  // --mulesoft more often: --mulesoft_policy has nothing to build on without it
  const input = fc.oneof(
    { weight: 3, arbitrary: fc.constant<InputChoice>('mulesoft') },
    { weight: 2, arbitrary: fc.constant<InputChoice>('mulesoft_policy') },
    { weight: 2, arbitrary: fc.constant<InputChoice>('copy') },
  );
  const tag: fc.Arbitrary<TagChoice> = fc.oneof(
    { weight: 3, arbitrary: fc.constant({ kind: 'keep' } as const) },
    { weight: 1, arbitrary: fc.constant({ kind: 'new' } as const) },
    { weight: 2, arbitrary: fc.constantFrom(...TAGS).map((t) => ({ kind: 'tag', tag: t }) as const) },
  );
  const run: fc.Arbitrary<RunStep> = fc
    .record({
      input,
      tag,
      domain: fc.option(fc.constantFrom(...DOMAINS), { nil: undefined, freq: 3 }),
      killAfter: fc.option(fc.integer({ min: 1, max: opts.maxKillAfter }), { nil: undefined, freq: 2 }),
    })
    .map(({ input: i, tag: t, domain, killAfter }) => {
      const step: RunStep = { kind: 'run', input: i, tag: t };
      if (domain !== undefined && HAS_DOMAIN.has(i)) step.domain = domain;
      if (killAfter !== undefined) step.killAfter = killAfter;
      return step;
    });
  const which: fc.Arbitrary<DestroyChoice> = opts.destroySets
    ? fc.oneof(
        { weight: 2, arbitrary: fc.constant({ kind: 'current' } as const) },
        { weight: 1, arbitrary: fc.constantFrom(...TAGS).map((t) => ({ kind: 'tag', tag: t }) as const) },
        { weight: 1, arbitrary: fc.constant({ kind: 'all' } as const) },
      )
    : fc.constant({ kind: 'current' } as const);
  const destroy: fc.Arbitrary<DestroyStep> = fc.record({ kind: fc.constant('destroy' as const), input, which });
  return fc.oneof({ weight: 4, arbitrary: run }, { weight: 1, arbitrary: destroy });
}

export function sequenceArbitrary(opts: StepOptions): fc.Arbitrary<Step[]> {
  return fc.array(stepArbitrary(opts), { minLength: 3, maxLength: 8 });
}

function inputArgs(input: InputChoice, dir: string): string[] {
  return input === 'copy' ? ['--input', join(dir, COPY_FILE)] : [`--${input}`];
}

/** The step's arguments (without --output-dir and --env-file, which the Env adds). */
export function stepArgs(step: Step, dir: string): string[] {
  if (step.kind === 'destroy') {
    const which = step.which.kind === 'tag' ? ['--tag', step.which.tag] : step.which.kind === 'all' ? ['--all'] : [];
    return ['destroy', ...inputArgs(step.input, dir), ...which, '--cascade', '--yes'];
  }
  const tag = step.tag.kind === 'new' ? ['--new-tag'] : step.tag.kind === 'tag' ? ['--tag', step.tag.tag] : [];
  const domain = step.domain !== undefined ? ['--set', `FAKE_USER_DOMAIN=${step.domain}`] : [];
  return [...inputArgs(step.input, dir), '--yes', ...tag, ...domain];
}

/** One line per step, as a person would type it (the copy as ./copy.json, in the sequence's folder). */
export function describeSequence(steps: Step[]): string {
  return steps
    .map((s, i) => {
      const kill = s.kind === 'run' && s.killAfter !== undefined ? `   [kill -9 after ${s.killAfter} writes]` : '';
      return `  ${i + 1}. okta-bootstrap ${stepArgs(s, '.').join(' ')}${kill}`;
    })
    .join('\n');
}

export interface StepOutcome {
  step: Step;
  result: CliResult;
  /** SIGKILL was sent (the run reached its k-th write). */
  killed: boolean;
  /** Write requests (any method but GET) the tenant logged during the step. */
  writes: number;
  /**
   * Exit 2 (with no write) is right for this step: a --mulesoft_policy run while mulesoft's current record is
   * missing or not complete (its data source lacks values, and a run that cannot ask stops), or a destroy of an
   * input that has no current record (nothing names what to destroy).
   */
  mayExit2: boolean;
  /** Wall time of the CLI run, ms. */
  ms: number;
  /** `*.lock` files in the output folder, after the step, that name the step's process (it took them). */
  locksLeft: string[];
  /** The invariant after the step. */
  invariant: InvariantReport;
}

const tail = (text: string, lines: number) => {
  const all = text.trimEnd().split('\n');
  return (all.length > lines ? [`… (${all.length - lines} lines before)`, ...all.slice(-lines)] : all).join('\n');
};

const exitOf = (o: { result: CliResult; killed: boolean }) =>
  o.result.signal !== null ? `signal ${o.result.signal}${o.killed ? ' (killed by the test)' : ''}` : `exit ${String(o.result.code)}`;

/** What src/core/lock.ts says when it refuses (a second run on the same record). */
const LOCKED = /is in use by another okta-bootstrap run|other runs keep taking it/;

/**
 * What is wrong with one step's outcome, or undefined. Exit 0; exit 1 for a conflict or refusal the run names
 * (an error line on stderr); SIGKILL only when the test killed it; exit 2 only where `mayExit2` says so, and then
 * with no write (every step is a valid command: bad usage or input is no answer to it). Then the records invariant.
 */
export function problemOf(o: StepOutcome): string | undefined {
  const { code, signal, stderr } = o.result;
  if (signal !== null) {
    if (!(signal === 'SIGKILL' && o.killed)) return `ended by ${signal}, not by the test`;
  } else if (code === 1) {
    if (!/^✖ /m.test(stderr)) return 'exit 1 without an error line (✖ …) on stderr that names the conflict or refusal';
    // the steps run one at a time: a lock can only be a dead run's, which must be taken over
    if (LOCKED.test(stderr)) return 'refused by a lock while no other run was running (a dead run\'s lock must be taken over)';
  } else if (code === 2 && o.mayExit2) {
    if (o.writes > 0) return `exit 2 after ${o.writes} write request(s): a run that stops on a missing value or record must stop before its first write`;
  } else if (code !== 0) return `exit ${String(code)} (only 0, 1 or the test's SIGKILL are allowed here)`;
  if (!o.killed && o.locksLeft.length > 0) return `lock file(s) the run took and did not release: ${o.locksLeft.join(', ')}`;
  const { unrecorded, ownedTwice, sharedOnly } = o.invariant;
  const parts = [
    ...unrecorded.map((l) => `unrecorded: ${l}`),
    ...ownedTwice.map((l) => `owned twice: ${l}`),
    ...sharedOnly.map((l) => `shared only: ${l}`),
  ];
  return parts.length > 0 ? `records invariant broken:\n    ${parts.join('\n    ')}` : undefined;
}

/** The failure message: the sequence, every step's exit, and the failing step's output. */
export function failureReport(steps: Step[], outcomes: StepOutcome[], problem: string): string {
  const failing = outcomes.length;
  const last = outcomes[failing - 1];
  const exits = outcomes.map((o, i) => `  ${i + 1}. ${exitOf(o)}, ${o.writes} writes, ${(o.ms / 1000).toFixed(1)} s`).join('\n');
  const output = last
    ? `--- stderr of run ${failing} ---\n${tail(last.result.stderr, 60)}\n--- stdout of run ${failing} ---\n${tail(last.result.stdout, 30)}`
    : '';
  return `run ${failing} of ${steps.length}: ${problem}\nsequence:\n${describeSequence(steps)}\nexits:\n${exits}\n${output}`;
}

/** One sequence's tenant: the Env, the Anypoint client, the SDK and the baseline. */
export interface SequenceContext {
  env: Env;
  sdk: Sdk;
  baseline: OrgObject[];
  foreign: string[];
}

/**
 * Prepares a fresh Env for a sequence: the baseline of the org as it starts, the client Anypoint registers
 * (AUTHN_CLIENT_ID in the env file, for --mulesoft_policy; not the tool's, so foreign), and the copy of the
 * --mulesoft input beside it.
 */
export async function prepareSequence(env: Env): Promise<SequenceContext> {
  const sdk = sdkClient(env.tenant.orgUrl, env.tenant.apiToken);
  const baseline = await orgObjects(sdk);
  // the default REDIRECT_URI of the inputs: what Anypoint's app would use
  const clientId = await env.registerClient('Solar System Auth', 'http://localhost:8080');
  await writeFile(join(env.dir, '.env'), `AUTHN_CLIENT_ID=${clientId}\n`, { mode: 0o600 });
  await copyFile(join(ROOT, 'inputs', 'mulesoft.json'), join(env.dir, COPY_FILE));
  // the copy's "$schema": "./schema.json" points beside it
  await copyFile(join(ROOT, 'inputs', 'schema.json'), join(env.dir, 'schema.json'));
  return { env, sdk, baseline, foreign: [clientId] };
}

/** The current record's file name of an input; its earlier sets' records are `<stem>.<TAG>.json`. */
function recordName(input: InputChoice): string {
  return input === 'copy' ? COPY_FILE : `${input}.json`;
}

const stemOf = (input: InputChoice) => recordName(input).replace(/\.json$/, '');

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}

const TAGGED_RECORD = z.object({ '$okta-bootstrap': z.object({ tag: z.string() }) });

async function recordTag(file: string): Promise<string | undefined> {
  const parsed = TAGGED_RECORD.safeParse(await readJson(file));
  return parsed.success ? parsed.data['$okta-bootstrap'].tag : undefined;
}

/**
 * Whether the folder has a record the destroy step names (else exit 2, "nothing to destroy", is a fair answer):
 * the current one; for --tag X the current one when its TAG is X, or `<input>.X.json`; for --all any of them.
 */
async function hasRecordToDestroy(dir: string, step: DestroyStep): Promise<boolean> {
  const names = await readdir(dir).catch((): string[] => []);
  const stem = stemOf(step.input);
  const current = names.includes(recordName(step.input));
  switch (step.which.kind) {
    case 'current':
      return current;
    case 'all':
      return current || names.some((n) => n.startsWith(`${stem}.`) && n.endsWith('.json'));
    case 'tag':
      return names.includes(`${stem}.${step.which.tag}.json`) || (current && (await recordTag(join(dir, recordName(step.input)))) === step.which.tag);
  }
}

const COMPLETE_RECORD = z.object({
  '$okta-bootstrap': z.object({ status: z.literal('complete'), objects: z.record(z.string(), z.object({ state: z.string() })) }),
});

/** Lock files (src/core/lock.ts: `<record>.lock`, JSON with the holder's pid) held by process `pid`. */
async function locksOf(dir: string, pid: number): Promise<string[]> {
  const held: string[] = [];
  for (const name of (await readdir(dir).catch((): string[] => [])).filter((n) => n.endsWith('.lock'))) {
    const parsed = LOCK.safeParse(await readJson(join(dir, name)));
    if (parsed.success && parsed.data.pid === pid) held.push(name);
  }
  return held;
}

const LOCK = z.object({ pid: z.number() });

/** A record whose run finished and whose objects all exist (read as raw JSON, not through the tool's code). */
async function completeRecord(file: string): Promise<boolean> {
  const parsed = COMPLETE_RECORD.safeParse(await readJson(file));
  return parsed.success && Object.values(parsed.data['$okta-bootstrap'].objects).every((o) => o.state === 'done');
}

/** Runs one step (kills it after its k-th write when asked) and checks the invariant after it. */
export async function runStep(ctx: SequenceContext, step: Step): Promise<StepOutcome> {
  const { env } = ctx;
  const mayExit2 =
    step.kind === 'run'
      ? step.input === 'mulesoft_policy' && !(await completeRecord(join(env.out, recordName('mulesoft'))))
      : !(await hasRecordToDestroy(env.out, step));
  const mark = env.tenant.requestLog.length;
  const k = step.kind === 'run' && step.killAfter !== undefined ? killAfterWrites(env.tenant.requestLog, step.killAfter) : undefined;
  let result: CliResult;
  let pid: number | undefined;
  const onSpawn = (child: ChildProcess) => {
    pid = child.pid;
    k?.onSpawn(child);
  };
  const started = Date.now();
  try {
    result = await env.cli(stepArgs(step, env.dir), { onSpawn, timeoutMs: 60_000 });
  } finally {
    k?.detach();
  }
  const ms = Date.now() - started;
  const invariant = await recordsInvariant(ctx.sdk, env.out, { baseline: ctx.baseline, foreign: ctx.foreign });
  const writes = env.tenant.requestLog.slice(mark).filter((e) => e.method !== 'GET').length;
  const locksLeft = pid === undefined ? [] : await locksOf(env.out, pid);
  return { step, result, killed: k?.killed ?? false, writes, mayExit2, ms, locksLeft, invariant };
}
