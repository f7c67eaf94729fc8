/**
 * The zod schema of input files: the single source of truth for their shape. The format is the original
 * okta-bootstrapper's (each top-level key holds an entry with `objType`, optional `objectClass`, `default`, ...),
 * plus two optional top-level strings for editors and --help: `$schema` and `$comment`.
 *
 * `inputs/schema.json` is emitted from this file (`emitJsonSchema()`), and a test keeps the committed copy current.
 * Rules that JSON Schema cannot express (templates, references, cycles, `groups` only on clients) live in
 * ./validate.ts and are reported together with the schema problems.
 */
import { z } from 'zod';
import { writeFileAtomic } from '../core/fs.js';

export const OBJ_TYPES = ['string', 'json', 'data'] as const;
export type ObjType = (typeof OBJ_TYPES)[number];

export const OBJECT_CLASSES = [
  'okta:authz_server',
  'okta:scope',
  'okta:oauth_policy',
  'okta:rule',
  'okta:user_group',
  'okta:user',
  'okta:client',
  'okta:trusted_origin',
  'okta:claim',
  'okta:app_group_assignment',
  'okta:client_logout_uri',
] as const;
export type ObjectClass = (typeof OBJECT_CLASSES)[number];

/** Top-level keys that are not entries. */
export const META_KEYS = ['$schema', '$comment'] as const;

/** Every field an entry may hold, in the order the docs list them (used for "did you mean" on unknown fields). */
export const ENTRY_FIELDS = [
  'objType',
  'objectClass',
  'default',
  'saveToOutput',
  'hint',
  'comment',
  'oktaEndpoint',
  'IDfieldName',
  'groups',
] as const;

const common = {
  saveToOutput: z.boolean().optional().describe('Write the value (for objects: Okta\'s response) to output/<input>.json.'),
  hint: z.string().optional().describe('Shown when the value is reviewed or asked for.'),
  comment: z.string().optional().describe('Shown when the value is reviewed or asked for.'),
};

const stringEntry = z
  .strictObject({
    objType: z.literal('string'),
    default: z
      .string()
      .optional()
      .describe('The value; may hold templates such as {{PORT}}, {{OKTA_AZ_SERVER.issuer}} or {{GENERATE_TAG}}. Without one, the value comes from --set, the environment, .env, or a prompt.'),
    ...common,
  })
  .describe('A string value.');

const jsonEntry = z
  .strictObject({
    objType: z.literal('json'),
    objectClass: z
      .enum(OBJECT_CLASSES)
      .optional()
      .describe('The Okta object to create from `default`. Without it the entry is a plain JSON value.'),
    default: z.unknown().describe('The JSON value, or the request body of the Okta object; strings in it may hold templates.'),
    oktaEndpoint: z
      .string()
      .optional()
      .describe('Optional: each object class knows its endpoint. A template such as /api/v1/authorizationServers/{{OKTA_AZ_SERVER_ID}}/scopes names the parent.'),
    IDfieldName: z.string().optional().describe('Accepted for the original format, and ignored: each object class knows its id field (client_id for okta:client, id for the others).'),
    groups: z
      .array(z.string())
      .optional()
      .describe('okta:client only: group ids (templates allowed) assigned to the client with PUT /api/v1/apps/{id}/groups/{groupId}.'),
    ...common,
  })
  .describe('A JSON value, or an Okta object when objectClass is set.');

const dataEntry = z
  .strictObject({
    objType: z.literal('data'),
    default: z
      .string()
      .describe('The name of an earlier output (e.g. "mulesoft" loads <output-dir>/mulesoft.json) or a path to an output file; its values become available to templates.'),
    ...common,
  })
  .describe('Loads the values of an earlier run\'s output file.');

export const inputEntrySchema = z.discriminatedUnion('objType', [stringEntry, jsonEntry, dataEntry]);

export const inputFileSchema = z
  .object({
    $schema: z.string().optional().describe('Path or URL of this JSON Schema, for editors.'),
    $comment: z.string().optional().describe('One line describing the input; `okta-bootstrap --help` shows it.'),
  })
  .catchall(inputEntrySchema)
  .meta({
    title: 'okta-bootstrap input file',
    description:
      'Each top-level key is a value or an Okta object. Templates: {{KEY}}, {{KEY.deep.path}}, {{GENERATE_TAG}}, {{GENERATE_PASSWORD}}, {{GENERATE_FIRSTNAME}}, {{GENERATE_LASTNAME}}.',
  });

/** One entry, as the rest of the code sees it (the contract in docs/internals.md, "Input entries"): the parsed form. */
export type InputEntry = z.infer<typeof inputEntrySchema>;
/** A `json` entry: a JSON value, or an Okta object when `objectClass` is set. */
export type JsonEntry = Extract<InputEntry, { objType: 'json' }>;

/** The object class of an entry, for `json` entries that create an Okta object. */
export function objectClassOf(entry: InputEntry | undefined): ObjectClass | undefined {
  return entry?.objType === 'json' ? entry.objectClass : undefined;
}
export type InputFile = Record<string, InputEntry>;

/** The JSON Schema of input files, emitted from the zod schema. */
export function emitJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(inputFileSchema);
}

/** Writes the JSON Schema (2-space JSON, trailing newline) to `path`; mode 0644 since it holds no secret. */
export async function writeJsonSchema(path: string): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(emitJsonSchema(), null, 2) + '\n', 0o644);
}
