/** Types for scripts/derive-spec-fixture.mjs (imported by src/spec/fixture-current.test.ts). */
export declare const DEFAULT_SPEC_DIR: string;
export declare const FIXTURE_PATH: string;
export declare const OPERATIONS: { management: string[]; oauth: string[] };
export declare function sortKeys<T>(value: T): T;
export declare function deriveFixture(texts: { management: string; oauth: string }): string;
export declare function deriveFixtureFromDir(specDir?: string): string;
