import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEC_DIR, FIXTURE_PATH, OPERATIONS, deriveFixtureFromDir } from '../../scripts/derive-spec-fixture.mjs';

// Needs only the committed fixture: runs everywhere, a clean clone included.
describe('committed spec fixture', () => {
  it('holds every operation the derivation lists, and stays compact', () => {
    const fixture = JSON.parse(readFileSync(FIXTURE_PATH, 'utf8')) as { operations: { operationId: string }[] };
    const ids = fixture.operations.map((o) => o.operationId).sort();
    expect(ids).toEqual([...OPERATIONS.management, ...OPERATIONS.oauth].sort());
    expect(readFileSync(FIXTURE_PATH).length).toBeLessThan(1_000_000);
  });
});

// Runs only where Okta's specs sit beside the repository (../shared/okta-openapi): a clone without them relies on
// the committed fixture, which the test above checks.
describe.runIf(existsSync(DEFAULT_SPEC_DIR))('spec fixture is current', () => {
  it('re-derives byte for byte from ../shared/okta-openapi (run `npm run spec:fixture` if this fails)', () => {
    const derived = deriveFixtureFromDir(DEFAULT_SPEC_DIR);
    const committed = readFileSync(FIXTURE_PATH, 'utf8');
    expect(derived === committed).toBe(true);
  });
});
