import { describe, expect, it } from 'vitest';
import { createLogger } from '../core/log.js';
import { createStyle } from '../core/style.js';
import { firstFailure, printPlan, type PlannedObject, type RunSummary } from './report.js';

function capture() {
  const lines: string[] = [];
  const log = { ...createLogger({ quiet: true }), style: createStyle(false), errStyle: createStyle(false), result: (m: string) => void lines.push(m), info: (m: string) => void lines.push(m) };
  return { log, text: () => lines.join('\n') };
}

const summary: RunSummary = { input: 'demo', orgUrl: 'http://x', dryRun: true, complete: false, counts: { created: 0, updated: 0, unchanged: 0, adopted: 0, failed: 0, conflict: 0, deleted: 0, gone: 0 }, outputFiles: [], requests: 0 };
const conflict = (name: string): PlannedObject => ({ key: 'K', objectClass: 'okta:user_group', action: 'conflict', diffs: [], id: '00g1', reason: 'exists', name });
const opts = { json: false, showSecrets: false, dryRun: true };

describe('conflict advice', () => {
  it('offers --new-tag only when the natural key carries the TAG', () => {
    for (const adoptConflicts of [false, true]) {
      const tagged = capture();
      printPlan(tagged.log, { ...opts, adoptConflicts, setTag: 'tA' }, [conflict('planets tA')], summary);
      expect(tagged.text()).toContain('--new-tag');
      const untagged = capture();
      printPlan(untagged.log, { ...opts, adoptConflicts, setTag: 'tA' }, [conflict('http://localhost:8080')], summary);
      expect(untagged.text()).not.toContain('--new-tag');
      expect(untagged.text()).toMatch(adoptConflicts ? /answer N if it is not yours/ : /adopt it with --adopt, or remove it from the org/);
    }
  });

  it('a failed run names the command that continues its set', () => {
    const e = firstFailure(new Map([['K', new Error('boom')]]), summary, 0, 'okta-bootstrap --mulesoft --tag tA');
    expect(e.details.suggestion).toBe('Fix the cause and run okta-bootstrap --mulesoft --tag tA again: what was created is recorded and is not created twice.');
  });
});
