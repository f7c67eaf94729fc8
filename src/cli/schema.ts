/**
 * `okta-bootstrap schema`: the JSON Schema of input files, emitted from the zod schema (src/input/schema.ts,
 * imported when the action runs).
 */
import { Command } from 'commander';
import { addCommonOptions, createLogger, withExamples } from './common.js';
import { parseOptions, type OptionSchemas } from './options.js';

export const schemaOptions = ({ z, optionalValue, common }: OptionSchemas) => z.object({ write: optionalValue }).extend(common.shape);

export function schemaCommand(): Command {
  const schema = new Command('schema')
    .summary('Print the JSON Schema of input files')
    .description('Print the JSON Schema of input files (the zod schema is the source of truth); --write updates inputs/schema.json.')
    .option('--write [file]', 'Write it to a file (inputs/schema.json of this package unless a file is given)');
  addCommonOptions(schema);
  withExamples(schema, ['okta-bootstrap schema > my-schema.json', 'okta-bootstrap schema --write']);
  schema.action(async (raw: Record<string, unknown>, cmd: Command) => {
    const flags = await parseOptions(cmd, schemaOptions, raw);
    const { emitJsonSchema, writeJsonSchema } = await import('../input/schema.js');
    if (flags.write) {
      const file = typeof flags.write === 'string' ? flags.write : new URL('../../inputs/schema.json', import.meta.url).pathname;
      await writeJsonSchema(file);
      createLogger(flags).info(`Wrote ${file}`);
    } else {
      process.stdout.write(JSON.stringify(emitJsonSchema(), null, 2) + '\n');
    }
  });
  return schema;
}
