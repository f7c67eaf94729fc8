/**
 * `data` entries: {"objType": "data", "default": "mulesoft"} loads the values of an earlier run's output file
 * (<outputDir>/mulesoft.json, format in src/core/output-format.ts; the original tool's flat files work too), so
 * mulesoft_policy can use mulesoft's SILVER_GROUP_ID, OKTA_AZ_SERVER_ID, SILVER_SCOPE_NAME, ...
 *
 * These values serve keys the input does not define: a key the input defines keeps its own definition
 * (--set / env / .env / default). With several data entries, a later one wins for a key both hold.
 */
import { readJsonFile } from '../core/fs.js';
import { ConfigError } from '../core/errors.js';
import { parseOutput } from '../core/output-format.js';
import type { InputFile } from '../input/schema.js';
import { dataSourceFile, type LoadedInput } from '../input/load.js';
import { builtinInputs } from '../input/builtins.js';

/** The names (or paths) of the outputs an input loads, in file order. */
export function dataSourceNames(input: InputFile): string[] {
  return Object.values(input)
    .filter((e) => e.objType === 'data' && typeof e.default === 'string')
    .map((e) => e.default as string);
}

function entriesOf(input: LoadedInput | InputFile): InputFile {
  const maybe = input as Partial<LoadedInput>;
  return typeof maybe.file === 'string' && typeof maybe.name === 'string' && Array.isArray(maybe.warnings) && maybe.entries !== undefined
    ? maybe.entries
    : (input as InputFile);
}

/** The command that writes the output a data entry names, for the "run it first" message. */
function commandFor(source: string): string {
  if (builtinInputs().some((b) => b.name === source)) return `okta-bootstrap --${source}`;
  if (/[\\/]/.test(source) || /\.json$/i.test(source)) return 'the okta-bootstrap run that wrote it';
  return `okta-bootstrap --input ${source}.json`;
}

/** Loads every data source of `input` (a LoadedInput or its entries) from `outputDir`, merged in file order. */
export async function loadDataSources(input: LoadedInput | InputFile, outputDir: string): Promise<Record<string, unknown>> {
  const entries = entriesOf(input);
  const values: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(entries)) {
    if (entry.objType !== 'data' || typeof entry.default !== 'string') continue;
    const source = entry.default;
    const file = dataSourceFile(source, outputDir);
    const json = await readJsonFile(file, {
      what: `output file (data source of ${key})`,
      missing: () =>
        new ConfigError(`${file} not found: ${key} loads the output of "${source}", which has not run yet (or wrote elsewhere).`, {
          key,
          suggestion: `Run \`${commandFor(source)}\` first (with the same --output-dir), then this input.`,
        }),
      suggestion: `Run \`${commandFor(source)}\` again to rewrite it.`,
    });
    Object.assign(values, parseOutput(json).values);
  }
  return values;
}
