/**
 * Keeps the layout arrows of docs/internals.md true to the code: the table "Who may import whom" must list exactly
 * the module-to-module imports of src/ (static `import … from` / `export … from` and dynamic `import(…)`; type-only
 * imports and test files left out, since they are erased or never shipped), each with how it is loaded.
 * It also holds the rule that the tool and the emulator (src/local-tenant) share no code: the local tenant imports
 * none of the tool's modules, and of the tool only src/cli (which starts the tenant) imports the local tenant.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { ROOT } from './support/cli.js';

const SRC = join(ROOT, 'src');
const DOC = join(ROOT, 'docs', 'internals.md');
const TOOL_MODULES = ['apply', 'okta', 'resolve', 'cli', 'verify', 'settings', 'gateway', 'input'] as const;
/** The files of src/core the emulator may use: error classes and exit codes, atomic and bounded file I/O, the seeded PRNG, JSON guards and positions. */
const CORE_INFRASTRUCTURE = ['errors.ts', 'fs.ts', 'random.ts', 'json.ts', 'json-locate.ts'] as const;
type Load = 'static' | 'lazy';

interface ImportSite {
  from: string;
  to: string;
  load: Load;
  file: string;
  specifier: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The top-level module of a path under src/, e.g. src/okta/handlers/user.ts → "okta". */
function moduleOf(path: string): string | undefined {
  const rel = relative(SRC, path);
  if (rel.startsWith('..')) return undefined;
  const [first, ...rest] = rel.split(sep);
  return rest.length > 0 ? first : undefined;
}

function isTypeOnly(clause: ts.ImportClause | undefined): boolean {
  if (!clause) return false; // `import './x.js'` runs the module
  if (clause.isTypeOnly) return true;
  const named = clause.namedBindings;
  // `import { type A, type B } from` is erased as a whole (no default import, every specifier type-only).
  return !clause.name && named !== undefined && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((s) => s.isTypeOnly);
}

/** Relative module specifiers a file loads at run time, with how. */
function runtimeImports(file: string): { specifier: string; load: Load }[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: { specifier: string; load: Load }[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      if (!isTypeOnly(n.importClause)) out.push({ specifier: n.moduleSpecifier.text, load: 'static' });
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      if (!n.isTypeOnly) out.push({ specifier: n.moduleSpecifier.text, load: 'static' });
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = n.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) out.push({ specifier: arg.text, load: 'lazy' });
      else throw new Error(`${relative(ROOT, file)}: import() with a computed specifier; the arrows test cannot follow it`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out.filter((i) => i.specifier.startsWith('.'));
}

/** Every import of src/ (non-test files) that crosses from one top-level module into another. */
function importSites(): ImportSite[] {
  const sites: ImportSite[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = moduleOf(file);
    if (from === undefined) continue;
    for (const { specifier, load } of runtimeImports(file)) {
      const to = moduleOf(resolve(dirname(file), specifier));
      if (to === undefined) throw new Error(`${relative(ROOT, file)} imports ${specifier}, outside src/`);
      if (to !== from) sites.push({ from, to, load, file: relative(ROOT, file), specifier });
    }
  }
  return sites;
}

/** The arrows the doc lists: rows `| \`from\` | \`to\` | static / lazy / static and lazy | why |` under the heading. */
function documentedArrows(): Map<string, Set<Load>> {
  const doc = readFileSync(DOC, 'utf8');
  const section = doc.split(/^## Who may import whom\s*$/m)[1]?.split(/^## /m)[0];
  if (section === undefined) throw new Error('docs/internals.md has no "## Who may import whom" section');
  const arrows = new Map<string, Set<Load>>();
  for (const m of section.matchAll(/^\|\s*`([a-z-]+)`\s*\|\s*`([a-z-]+)`\s*\|\s*(static and lazy|static|lazy)\s*\|/gm)) {
    const [, from, to, how] = m;
    if (from === undefined || to === undefined || how === undefined) continue;
    const key = `${from} → ${to}`;
    if (arrows.has(key)) throw new Error(`docs/internals.md lists ${key} twice`);
    arrows.set(key, new Set<Load>(how === 'static and lazy' ? ['static', 'lazy'] : how === 'static' ? ['static'] : ['lazy']));
  }
  return arrows;
}

function codeArrows(sites: ImportSite[]): Map<string, { loads: Set<Load>; files: Set<string> }> {
  const arrows = new Map<string, { loads: Set<Load>; files: Set<string> }>();
  for (const s of sites) {
    const key = `${s.from} → ${s.to}`;
    const a = arrows.get(key) ?? { loads: new Set<Load>(), files: new Set<string>() };
    a.loads.add(s.load);
    a.files.add(s.file);
    arrows.set(key, a);
  }
  return arrows;
}

const describeLoads = (loads: Set<Load>): string => (loads.size === 2 ? 'static and lazy' : loads.has('static') ? 'static' : 'lazy');

describe('docs/internals.md: who may import whom', () => {
  const sites = importSites();
  const code = codeArrows(sites);
  const doc = documentedArrows();

  it('finds the import graph and the table (neither is empty)', () => {
    expect(sites.length).toBeGreaterThan(50);
    expect(doc.size).toBeGreaterThan(10);
  });

  it('lists every arrow the code has, with how it is loaded', () => {
    const problems: string[] = [];
    for (const [key, a] of code) {
      const listed = doc.get(key);
      const files = [...a.files].sort().join(', ');
      if (!listed) problems.push(`${key} is not in the table (imported by ${files})`);
      else if (describeLoads(listed) !== describeLoads(a.loads)) {
        problems.push(`${key} is listed as "${describeLoads(listed)}" but the code loads it ${describeLoads(a.loads)} (${files})`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('lists no arrow the code does not have', () => {
    const stale = [...doc.keys()].filter((key) => !code.has(key)).map((key) => `${key} is in the table but no file of src/ imports it`);
    expect(stale).toEqual([]);
  });
});

describe('the tool and the local tenant share no code', () => {
  const sites = importSites();

  it('src/local-tenant imports nothing from the tool', () => {
    const tool: readonly string[] = TOOL_MODULES;
    const breaks = sites.filter((s) => s.from === 'local-tenant' && tool.includes(s.to)).map((s) => `${s.file} imports ${s.specifier}`);
    expect(breaks).toEqual([]);
  });

  it('src/local-tenant and src/spec take from src/core only its infrastructure, which holds no Okta rule', () => {
    const allowed = new Set(CORE_INFRASTRUCTURE.map((f) => join(SRC, 'core', f)));
    const breaks = sites
      .filter((s) => (s.from === 'local-tenant' || s.from === 'spec') && s.to === 'core')
      .filter((s) => !allowed.has(resolve(dirname(s.file), s.specifier).replace(/\.js$/, '.ts')))
      .map((s) => `${s.file} imports ${s.specifier}`);
    expect(breaks).toEqual([]);
  });

  it('of the tool, only src/cli imports src/local-tenant (it starts it)', () => {
    const breaks = sites.filter((s) => s.to === 'local-tenant' && s.from !== 'cli').map((s) => `${s.file} imports ${s.specifier}`);
    expect(breaks).toEqual([]);
  });
});
