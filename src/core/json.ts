/**
 * The tool's small JSON helpers, one copy each: the object guard and the path walker every module uses.
 * (The local tenant keeps its own: the emulator shares no code with the tool it judges.)
 */

/** A plain JSON object: not null, not an array. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The value at `path` inside `value`: own object properties, and array indexes (a number, or a string of digits);
 * undefined when any step is absent. Never reads inherited properties, so `__proto__` or `constructor` is absent.
 */
export function valueAtPath(value: unknown, path: readonly (string | number)[]): unknown {
  let v = value;
  for (const p of path) {
    if (Array.isArray(v) && (typeof p === 'number' || /^\d+$/.test(p))) v = v[Number(p)];
    else if (isRecord(v) && typeof p === 'string' && Object.hasOwn(v, p)) v = v[p];
    else return undefined;
  }
  return v;
}
