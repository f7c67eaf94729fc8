/** Types for scripts/derive-gateway-fixtures.mjs (imported by src/settings/gateways/fixtures-current.test.ts). */
export declare const DEFAULT_SCHEMA_DIR: string;
export declare const FIXTURE_DIR: string;
export declare const SOURCES: string[];
export declare const AWS_TYPES: string[];
export declare function deriveGatewayFixtures(texts: Record<string, string>): Record<string, string>;
export declare function deriveGatewayFixturesFromDir(dir?: string): Record<string, string>;
