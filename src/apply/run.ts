/**
 * runBootstrap: input → values → Okta objects.
 *
 * Order: load the input (InputError before any network) → load data sources → credential check → take the
 * record's lock (not in a dry run; released however the run ends) → read the current record and choose the set
 * the run's TAG names (sets.ts; another org's record is refused) → the review (the values a person can choose,
 * one by one; accepted at once with --yes or after "a"; a TAG typed there chooses the set again) → planning pass
 * (batched lookups; create / unchanged / update / conflict) → the plan, printed once → one confirmation for the
 * whole plan, adoptions and updates included → the apply pass (no more questions; live status line; objects created as soon as their dependencies are done,
 * up to --concurrency at once). --dry-run stops after the plan.
 *
 * The engine knows nothing of the process: the caller passes the Ctrl-C signal, the command to suggest for a
 * re-run (already redacted), the record's lock, the stream for the live status line and the environment.
 */
import { setTimeout as wait } from 'node:timers/promises';
import { isAbsolute, join, resolve as resolvePath } from 'node:path';
import type { OktaCredentials } from '../core/config.js';
import { BootstrapError, InputError, InterruptedError, QuitError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { formatProblem, loadInput } from '../input/load.js';
import { dataSourceNames, loadDataSources } from '../resolve/data.js';
import { dataSourceFile } from '../input/load.js';
import { buildGraph } from '../resolve/graph.js';
import { createGenerators } from '../resolve/generate.js';
import { externalValue, loadValueSources } from '../resolve/sources.js';
import { createPrompter } from '../resolve/prompt.js';
import { checkCredentials, createOktaClient } from '../okta/client.js';
import { createGovernor, type WaitEvent } from '../okta/governor.js';
import { handlerFor } from '../okta/handlers/index.js';
import { CreateOwner } from './create.js';
import { openJournal } from './journal.js';
import { ExistingLoader } from './lookup.js';
import { Progress, type OutputStream } from './progress.js';
import { deleteReplaced, replacedEntries, replacedPlan } from './replace.js';
import { ReplayGenerators } from './replay.js';
import { changeCount, errorLine, firstFailure, inputName, printPlan, summaryLine, type PlannedObject, type RunSummary } from './report.js';
import { orderedNodes } from './priority.js';
import { runDag } from './scheduler.js';
import { ObjectSteps } from './step.js';
import { Interrupt, stopRun } from './stop.js';
import { dataKeysFromObjects, dataSourceLabel, keysFromObjects, ValueResolver, type Mode } from './values.js';
import { objectClassOf } from '../input/schema.js';
import { latestOutputName } from '../core/output-names.js';

export { RunFailedError, type PlannedObject, type RunSummary } from './report.js';

export interface RunOptions {
  input: string;
  outputDir: string;
  envFile?: string;
  set: string[];
  yes: boolean;
  adopt: boolean;
  dryRun: boolean;
  json: boolean;
  tag?: string;
  newTag: boolean;
  concurrency: number;
  maxWaitMs: number;
  showSecrets: boolean;
  interactive: boolean;
  credentials: OktaCredentials;
  logger: Logger;
  debug: boolean;
  /** Aborted on Ctrl-C: nothing new starts, the requests in flight finish and are recorded (exit 130). */
  signal?: AbortSignal;
  /**
   * The command that runs this again, secrets already redacted, without --new-tag and --tag: suggested after an
   * interruption or a failure (the engine adds `--tag <TAG>` when a plain re-run would continue another set).
   */
  rerunCommand: string;
  /** Takes the record's lock (one run at a time per record); not called in a dry run. Released at every end. */
  lock?: (recordFile: string) => Promise<{ release(): Promise<void> }>;
  /** The live status line goes to `stderr`, drawn only when it is a TTY. */
  streams: { stderr: OutputStream };
  /** The environment values come from (after --set, before .env). */
  env: Record<string, string | undefined>;
  /** The wait between create attempts; default a real timer. */
  sleep?: (ms: number) => Promise<void>;
}

export async function runBootstrap(opts: RunOptions): Promise<RunSummary> {
  const log = opts.logger;
  const orgUrl = opts.credentials.orgUrl;
  // 1. input and values (no network): InputError → exit 2 before anything is sent
  const sources = loadValueSources({ set: [...opts.set, ...(opts.tag ? [`TAG=${opts.tag}`] : [])], envFile: opts.envFile, env: opts.env });
  const loaded = await loadInput(opts.input, {
    knownExternal: (k) => k === 'OKTA_TENANT' || externalValue(sources, k) !== undefined,
    outputDir: opts.outputDir,
  });
  for (const w of loaded.warnings) log.warn(`${loaded.file}: ${formatProblem(w)}`);
  const graph = buildGraph(loaded.entries, loaded.file);
  const name = loaded.name || inputName(opts.input);

  // 2. data sources: earlier outputs this input builds on (mulesoft_policy loads mulesoft)
  const dataValues = await loadDataSources(loaded, opts.outputDir);
  const dataEntries = new Map<string, unknown>();
  for (const [key, entry] of Object.entries(loaded.entries)) if (entry.objType === 'data') dataEntries.set(key, dataValues);

  // 3. credentials, before any prompt
  const governor = createGovernor({ maxWaitMs: opts.maxWaitMs, logger: opts.debug ? log : undefined, requestTimeoutMs: opts.credentials.requestTimeoutMs });
  const api = createOktaClient({ orgUrl, token: opts.credentials.token, governor, logger: log, debug: opts.debug, requestTimeoutMs: opts.credentials.requestTimeoutMs });
  await checkCredentials(api);

  // 4. the record's lock, then the record of the set this run's TAG names (--new-tag: a new, separate set); an
  // input whose TAG comes from a data source (mulesoft_policy) follows that source's set
  // (only when the input has no TAG of its own: the original tool's mulesoft_policy.json generates its own)
  const dataTag = !('TAG' in loaded.entries) && typeof dataValues.TAG === 'string' ? dataValues.TAG : undefined;
  const lock = opts.dryRun ? undefined : await opts.lock?.(join(opts.outputDir, latestOutputName(name)));
  const opened = await openJournal({
    dir: opts.outputDir,
    name,
    orgUrl,
    inputFile: isAbsolute(loaded.file) ? loaded.file : resolvePath(loaded.file),
    dataSources: dataSourceNames(loaded.entries).map(inputName),
    fresh: opts.newTag,
    tag: externalValue(sources, 'TAG')?.value ?? dataTag,
    write: !opts.dryRun,
    log,
  }).catch(async (e: unknown) => {
    await lock?.release();
    throw e;
  });
  const { journal, recorded, prevValues, replay } = opened;
  // what a plain re-run (the command without --new-tag and --tag) would continue: the TAG it is given, else the
  // current record's set, which is this run's once it wrote
  const plainTag = externalValue(loadValueSources({ set: opts.set, envFile: opts.envFile, env: opts.env }), 'TAG')?.value ?? dataTag;
  const rerun = (): string => {
    const chosen = values.chosen.get('TAG');
    const tag = journal.meta.tag ?? (typeof chosen === 'string' ? chosen : undefined);
    const next = plainTag ?? (journal.written ? tag : opened.currentTag);
    return tag !== undefined && tag !== next ? `${opts.rerunCommand} --tag ${/^[\w.-]+$/.test(tag) ? tag : `'${tag.replace(/'/g, `'\\''`)}'`}` : opts.rerunCommand;
  };

  // policies of one server and rules of one policy: one after another, in the input's priority order (priority.ts)
  const { nodes, siblings, order } = orderedNodes(graph);
  const prompter = createPrompter({ yes: opts.yes, interactive: opts.interactive, showSecrets: opts.showSecrets });
  const gens = new ReplayGenerators(createGenerators(), replay);
  // values read from objects come from the objects (this input's, and those of its data sources)
  const fromObject = keysFromObjects(order, nodes);
  const dataFiles = dataSourceNames(loaded.entries).map((d) => [inputName(d), dataSourceFile(d, opts.outputDir)] as const);
  const dataSourceOf = dataSourceLabel(dataFiles, dataValues);
  const dataFromObjects = await dataKeysFromObjects(dataFiles.map(([, f]) => f));
  const canAsk = opts.interactive && !opts.yes;
  const values = new ValueResolver({ sources, prompter, journal, gens, log, dryRun: opts.dryRun, showSecrets: opts.showSecrets, order, dataValues, dataEntries, canAsk, fromObject, dataFromObjects, dataSource: dataSourceOf });
  values.externals.set('OKTA_TENANT', orgUrl);
  const loader = new ExistingLoader((c, parent, keys) => handlerFor(c).findExisting({ api, parent }, keys), opts.concurrency);
  const progress = new Progress(log, { stream: opts.streams.stderr, showSecrets: opts.showSecrets });
  const sleep = opts.sleep ?? ((ms: number) => wait(ms));
  const creator = new CreateOwner({ journal, loader, log, sleep });
  const steps = new ObjectSteps({ opts, log, api, loader, progress, journal, creator, values, recorded, prevValues, siblings });

  // Ctrl-C: stop starting objects; the requests in flight finish and are recorded
  const interrupt = new Interrupt(opts.signal, opts.streams.stderr, progress, log);
  // one pass over the graph; each pass renders with its own values
  const walk = (mode: Mode) => {
    const pass = new Map<string, unknown>();
    return runDag(
      order,
      (k) => nodes.get(k)?.deps ?? [],
      async (key) => {
        const node = nodes.get(key);
        if (!node) return;
        await values.prepareExternals(node, mode, pass);
        if (objectClassOf(node.entry)) await steps.run(node, pass, mode);
        else await values.value(node, pass, mode);
      },
      {
        limit: () => (mode === 'plan' ? 64 : opts.concurrency),
        fatal: (e) => e instanceof QuitError || (e instanceof BootstrapError && e.exitCode === 2),
        stop: () => interrupt.requested,
      },
    );
  };

  const onWait = (w: WaitEvent) => progress.onWait(w);
  api.governor.on('wait', onWait);
  const requestsBefore = api.governor.stats().requests;
  const summaryOf = (dryRun: boolean, complete: boolean, extra: Partial<RunSummary>): RunSummary => ({
    input: name,
    orgUrl,
    dryRun,
    complete,
    counts: progress.counts,
    outputFiles: [],
    requests: api.governor.stats().requests - requestsBefore,
    ...extra,
  });

  const stopped = (e: QuitError, applying: boolean): Promise<never> =>
    stopRun({ prompter, progress, journal, typed: values.typed, dryRun: opts.dryRun, rerunCommand: rerun }, e, applying);
  /** A quit while asking (the review, the confirmation) stops the run with what is kept. */
  const asking = async <T>(question: Promise<T>): Promise<T> => {
    try {
      return await question;
    } catch (e) {
      if (e instanceof QuitError) return stopped(e, false);
      throw e;
    }
  };
  const interrupted = async (): Promise<void> => {
    if (opts.signal?.aborted) await stopped(new InterruptedError(), false);
  };

  try {
    // 5. the review: values a person can choose, each with its source (not in a dry run without a person)
    await steps.prefetch(order, nodes);
    await interrupted();
    if (!opts.dryRun || (opts.interactive && !opts.yes)) {
      await asking(values.reviewValues({ nodes, fromObject, dependents: (k) => graph.dependents(k), objectProblem: (n, v) => steps.objectProblem(n, v), dataSource: dataSourceOf }));
      await interrupted();
    }
    // a TAG typed at the review names another set: continue that set's record (nothing of this one is replayed)
    const tag = values.chosen.get('TAG') ?? externalValue(sources, 'TAG')?.value ?? dataTag;
    if (typeof tag === 'string') {
      if (values.typed.has('TAG') && (await opened.switchTo(tag, values.typed))) {
        gens.reset(replay);
        for (const k of [...values.chosen.keys()]) if (!values.typed.has(k)) values.chosen.delete(k);
      }
      journal.meta.tag = tag;
    }

    // 6. planning pass: batched lookups, no prompt, no write
    const planRes = await walk('plan');
    await interrupted();
    // preflight: a value nobody gave (in a run that cannot ask) and a body Okta would refuse (its checks, the
    // spec's shapes) fail the run here, every such problem at once, before any write
    const problems = [...values.missing.values(), ...steps.bodyProblems];
    if (problems.length > 0) throw new InputError(loaded.file, problems);
    const planned = order.map((k) => steps.plan.get(k)).filter((p): p is PlannedObject => p !== undefined);
    const plan = [...planned, ...replacedPlan(journal.objects, planned)];
    // a person confirming the plan may adopt what it lists as conflicts; --yes adopts only with --adopt
    const asks = opts.interactive && !opts.yes && !prompter.auto;
    const adoptConflicts = opts.adopt || (opts.interactive && !opts.yes);
    if (opts.dryRun) {
      prompter.close();
      const summary = summaryOf(true, planRes.failed.size === 0, { plan });
      printPlan(log, { ...opts, adoptConflicts: opts.adopt, setTag: journal.meta.tag }, plan, summary);
      if (planRes.failed.size > 0) throw firstFailure(planRes.failed, summary, 0, rerun());
      return summary;
    }
    for (const [k, e] of planRes.failed) log.verbose(`planning ${k}: ${errorLine(e)}`);

    // 7. the plan, and one confirmation for all of it
    const n = changeCount(plan, adoptConflicts);
    if (opts.interactive && !opts.yes) printPlan(log, { ...opts, adoptConflicts, toStderr: true, setTag: journal.meta.tag }, plan, summaryOf(false, false, { plan }));
    if (n > 0 && asks) {
      const ok = await asking(prompter.confirm(`Apply these ${n} change${n === 1 ? '' : 's'}?`, { default: false }));
      if (!ok) await stopped(new QuitError('Nothing applied: you answered no.'), false);
    }
    if (adoptConflicts) for (const p of plan) if (p.action === 'conflict') steps.adoptApproved.add(p.key);
    prompter.close();
    await interrupted();

    // 8. apply pass, with the live status view
    interrupt.applying = true;
    progress.begin();
    let res: Awaited<ReturnType<typeof walk>>;
    try {
      res = await walk('apply');
    } catch (e) {
      if (!(e instanceof QuitError)) throw e;
      return await stopped(e, true);
    }
    let complete = res.failed.size === 0 && res.skipped.size === 0;
    // 9. objects a replace superseded: deleted once every step succeeded (their dependants have moved)
    if (complete) {
      for (const [k, e] of await deleteReplaced({ api, journal, loader, log, progress })) res.failed.set(k, e);
      complete = res.failed.size === 0;
    } else if (Object.keys(replacedEntries(journal.objects)).length > 0) {
      log.info(`- kept the replaced objects recorded (${Object.keys(replacedEntries(journal.objects)).join(', ')}): the next complete run deletes them, or destroy does`);
    }
    journal.meta.status = complete ? 'complete' : 'incomplete';
    journal.meta.finishedAt = new Date().toISOString();
    journal.setValue('OKTA_TENANT', orgUrl);
    await journal.flush();
    const summary = summaryOf(false, complete, { outputFiles: [journal.latestPath, journal.runPath] });
    progress.stop();
    for (const [k, by] of res.skipped) log.info(`- skipped ${k}: it needs ${by}, which did not finish`);
    log.info(summaryLine(summary, { failed: res.failed.size, skipped: res.skipped.size }, journal.latestPath, journal.runPath));
    if (!complete) throw firstFailure(res.failed, summary, res.skipped.size, rerun());
    return summary;
  } finally {
    prompter.close();
    progress.stop();
    api.governor.off('wait', onWait);
    interrupt.dispose();
    await lock?.release();
  }
}
