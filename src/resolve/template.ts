/**
 * Rendering templates: {{KEY}}, {{KEY.deep.path}} and {{GENERATE_*}} (grammar in src/input/refs.ts).
 *
 * - A string that is exactly one template keeps the type of the value it names (an array, a number, an object):
 *   "groupIds": "{{GROUP_IDS}}" becomes the array. Inside longer text, non-strings are written as JSON.
 * - Generated values bind their name within the rendered value: each generator used in the value runs once, and
 *   {{FIRSTNAME}} (or {{TAG}}, {{PASSWORD}}, {{LASTNAME}}) in the same value is that generated value. So the
 *   legacy user objects' "login": "{{FIRSTNAME}}.{{LASTNAME}}@…" follows "firstName": "{{GENERATE_FIRSTNAME}}",
 *   in whatever order the fields come.
 * - KNOWN_AFTER_APPLY (what lookup returns for values that exist only after a create, in a dry run) is inserted
 *   verbatim.
 * Object keys are not templated (the format never needed it).
 */
import { BootstrapError } from '../core/errors.js';
import { boundNames, isGeneratorName, parseTemplates, type TemplateRef } from '../input/refs.js';
import type { Generators } from './generate.js';
import { valueAtPath } from '../core/json.js';

export { refsOf, type TemplateRef } from '../input/refs.js';

export const KNOWN_AFTER_APPLY = '(known after apply)';

export type Lookup = (key: string, path: string[]) => unknown;


function generate(gen: Generators, name: string): string {
  if (!isGeneratorName(name)) throw new BootstrapError(`Unknown generator {{GENERATE_${name}}}`, { suggestion: 'Use GENERATE_TAG, GENERATE_PASSWORD, GENERATE_FIRSTNAME or GENERATE_LASTNAME.' }, 2);
  switch (name) {
    case 'TAG':
      return gen.tag();
    case 'PASSWORD':
      return gen.password();
    case 'FIRSTNAME':
      return gen.firstName();
    case 'LASTNAME':
      return gen.lastName();
  }
}

function asText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

const show = (r: TemplateRef) => (r.kind === 'key' ? `{{${[r.key, ...r.path].join('.')}}}` : `{{GENERATE_${r.name}}}`);

/**
 * Renders `value` (deep). `lookup(key, path)` gives the value of a key or a property inside it; undefined means it
 * has none, which is an error naming the template (the resolution order guarantees keys are resolved first, so
 * this is a missing property, e.g. a field Okta did not return).
 */
export function render(value: unknown, lookup: Lookup, gen: Generators): unknown {
  const bound = new Map<string, string>();
  for (const name of boundNames(value)) bound.set(name, generate(gen, name));
  const resolveRef = (r: TemplateRef): unknown => {
    if (r.kind === 'generate') return bound.get(r.name) ?? generate(gen, r.name);
    const v = bound.has(r.key) ? valueAtPath(bound.get(r.key), r.path) : lookup(r.key, r.path);
    if (v === undefined) {
      throw new BootstrapError(`${show(r)} has no value`, {
        key: r.key,
        suggestion: r.path.length > 0 ? `${r.key} has no property "${r.path.join('.')}": check the path (Okta's response fields are case-sensitive).` : `Give ${r.key} a value: --set ${r.key}=VALUE, the environment or .env.`,
      });
    }
    return v;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const ms = parseTemplates(v);
      if (ms.length === 0) return v;
      if (ms.length === 1 && ms[0]!.start === 0 && ms[0]!.end === v.length) return resolveRef(ms[0]!.ref);
      let out = '';
      let last = 0;
      for (const m of ms) {
        out += v.slice(last, m.start) + asText(resolveRef(m.ref));
        last = m.end;
      }
      return out + v.slice(last);
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  return walk(value);
}
