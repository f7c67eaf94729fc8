/**
 * Reading parsed JSON in tests without `any`: each helper checks the shape it hands back (with zod), so a body
 * of the wrong shape fails the test where it is read, with zod's message, instead of as `undefined` later.
 */
import { z } from 'zod';

export type JsonObject = Record<string, unknown>;

const jsonObject = z.record(z.string(), z.unknown());
const jsonObjects = z.array(jsonObject);

/** A JSON object (not null, not an array). */
export function obj(v: unknown): JsonObject {
  return jsonObject.parse(v);
}

/** An array of JSON objects. */
export function objs(v: unknown): JsonObject[] {
  return jsonObjects.parse(v);
}

/** A string. */
export function str(v: unknown): string {
  return z.string().parse(v);
}

/** JSON text that must hold an object. */
export function parseObject(text: string): JsonObject {
  return obj(JSON.parse(text));
}
