/**
 * The records invariant under random sequences of runs (property-based, fast-check): 3 to 8 steps drawn from
 * --mulesoft, --mulesoft_policy and a copy of the --mulesoft input, each with or without --new-tag or --tag X
 * (X from a small set, so sets are revisited), a changed FAKE_USER_DOMAIN and kill -9 after the k-th write, and
 * destroy --cascade of an input's current set. One local tenant per sequence. After every step: the exit code is
 * 0, 1 (with the reason on stderr) or the test's SIGKILL, never 2 (except a --mulesoft_policy run while mulesoft's
 * record is missing or incomplete, and then with no write); and every object of the tool's kinds that the
 * sequence left in the org is owned by exactly one record in the output folder (test/support/records.ts).
 *
 * Longer runs: OKB_SEQ_RUNS=200 (sequences); OKB_SEQ_SEED and OKB_SEQ_PATH (both printed by a failure) replay
 * the failing sequence alone; OKB_SEQ_DESTROY_SETS=1 (or 0) to draw destroy --tag X / --all as well (or not); OKB_SEQ_SURVEY=1 to go on after a failure and
 * print every failing sequence at the end.
 * A failure ends the search at once (no shrinking: every shrink step would spawn several CLIs) and prints the
 * seed, the sequence as command lines, each step's exit and the failing step's output.
 */
import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startEnv } from './apply-support.js';
import { failureReport, prepareSequence, problemOf, runStep, sequenceArbitrary, type Step, type StepOutcome } from '../support/sequences.js';

/** Draw `destroy --tag X` and `destroy --all` too: switch on (true) once destroy has those flags. */
const DESTROY_SETS_BY_DEFAULT = true;
const DESTROY_SETS = process.env.OKB_SEQ_DESTROY_SETS === undefined ? DESTROY_SETS_BY_DEFAULT : process.env.OKB_SEQ_DESTROY_SETS === '1';
const SEED = process.env.OKB_SEQ_SEED === undefined ? undefined : Number(process.env.OKB_SEQ_SEED);
const PATH = process.env.OKB_SEQ_PATH;
// a replay (seed and path) runs the one sequence
const NUM_RUNS = Number(process.env.OKB_SEQ_RUNS ?? (PATH !== undefined ? 1 : 25));

/**
 * Survey: run every step of every sequence, keep each sequence's first problem and print them all at the end (to
 * see what breaks and to time whole sequences, not for CI).
 */
const SURVEY = process.env.OKB_SEQ_SURVEY === '1';

class SequenceFailure extends Error {}

/**
 * Runs a sequence, step by step; the first problem ends it (what follows would be built on a broken state), or
 * in a survey is kept while the rest of the steps run.
 */
async function checkSequence(steps: Step[], stats: { steps: number; cliMs: number }): Promise<void> {
  const env = await startEnv();
  let failure: SequenceFailure | undefined;
  try {
    const ctx = await prepareSequence(env);
    const outcomes: StepOutcome[] = [];
    for (const step of steps) {
      const outcome = await runStep(ctx, step);
      outcomes.push(outcome);
      stats.steps += 1;
      stats.cliMs += outcome.ms;
      const problem = failure === undefined ? problemOf(outcome) : undefined;
      if (problem !== undefined) failure = new SequenceFailure(failureReport(steps, outcomes, problem));
      if (failure !== undefined && !SURVEY) throw failure;
    }
    if (failure !== undefined) throw failure;
  } finally {
    await env.close();
    await rm(env.dir, { recursive: true, force: true });
  }
}

describe('records invariant under random sequences of runs', () => {
  it(`holds after every step of ${NUM_RUNS} sequences`, async () => {
    const started = Date.now();
    const surveyed: string[] = [];
    const stats = { steps: 0, cliMs: 0 };
    const property = async (steps: Step[]) => {
      try {
        await checkSequence(steps, stats);
      } catch (e) {
        if (!(SURVEY && e instanceof SequenceFailure)) throw e;
        surveyed.push(e.message);
      }
    };
    const result = await fc.check(fc.asyncProperty(sequenceArbitrary({ destroySets: DESTROY_SETS, maxKillAfter: 8 }), property), {
      numRuns: NUM_RUNS,
      ...(SEED !== undefined && Number.isFinite(SEED) ? { seed: SEED } : {}),
      ...(PATH !== undefined ? { path: PATH } : {}),
      endOnFailure: true,
    });
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(
      `records-sequences: ${result.numRuns} sequences, ${stats.steps} steps in ${seconds(Date.now() - started)} ` +
        `(CLI runs ${seconds(stats.cliMs)}, ${(stats.cliMs / Math.max(stats.steps, 1)).toFixed(0)} ms a step; seed ${result.seed})`,
    );
    if (surveyed.length > 0) expect.fail(`${surveyed.length} of ${result.numRuns} sequences failed:\n\n${surveyed.join('\n\n')}`);
    if (result.failed) {
      const cause = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
      expect.fail(`failed on sequence ${result.numRuns} of ${NUM_RUNS}; replay it (the same steps; generated values, timing and the moment of a kill may differ) with OKB_SEQ_SEED=${result.seed} OKB_SEQ_PATH=${result.counterexamplePath ?? ''}\n${cause}`);
    }
  }, 30 * 60_000);
});
