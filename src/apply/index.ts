/** The engine: runBootstrap (plan, apply, dry run) and runDestroy. See docs/internals.md, "Apply". */
export { runBootstrap, RunFailedError, type RunOptions, type RunSummary, type PlannedObject } from './run.js';
export { runDestroy, type DestroyOptions, type DestroySummary } from './destroy.js';
export { planObject, diffDesired, type FieldDiff, type ObjectPlan, type PlanAction } from './plan.js';
