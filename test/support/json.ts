/**
 * Reading parsed JSON in tests without `any`: each helper checks the shape it hands back and throws when the
 * value is not that shape, so a body of the wrong shape fails the test where it is read, not as `undefined`
 * later. The value itself is handed back (no copy), so writing through it changes the parsed document.
 */
export type JsonObject = Record<string, unknown>;

function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function shapeError(what: string, v: unknown): Error {
  return new Error(`expected ${what}, got ${JSON.stringify(v) ?? String(v)}`);
}

/** A JSON object (not null, not an array). */
export function obj(v: unknown): JsonObject {
  if (!isJsonObject(v)) throw shapeError('a JSON object', v);
  return v;
}

/** An array of JSON objects. */
export function objs(v: unknown): JsonObject[] {
  if (!Array.isArray(v) || !v.every(isJsonObject)) throw shapeError('an array of JSON objects', v);
  return v;
}

/** A string. */
export function str(v: unknown): string {
  if (typeof v !== 'string') throw shapeError('a string', v);
  return v;
}

/** JSON text that must hold an object. */
export function parseObject(text: string): JsonObject {
  return obj(JSON.parse(text));
}
