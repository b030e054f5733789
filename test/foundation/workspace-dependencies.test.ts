import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Services talk only through packages (issue 12): no file under services/A reaches into
 * services/B, by relative path or by B's package name; every `@rendezvous/x` a workspace imports
 * is declared in its package.json, and nothing undeclared or unused is; every `exports` target
 * exists. scripts/ and test/ are not workspaces, but scripts go through package names too.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Known service→service imports still to be removed. Each entry is `importer → target`;
 * the test fails if a listed one disappears (so the list only shrinks) or a new one appears.
 */
const PENDING: readonly string[] = [];

interface Workspace {
  dir: string; // e.g. services/api
  kind: 'services' | 'packages';
  name: string; // e.g. @rendezvous/api
  manifest: { exports?: unknown; dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
}

function workspaces(): Workspace[] {
  const out: Workspace[] = [];
  for (const kind of ['services', 'packages'] as const) {
    for (const entry of readdirSync(path.join(ROOT, kind))) {
      const file = path.join(ROOT, kind, entry, 'package.json');
      if (!existsSync(file)) continue;
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as Workspace['manifest'] & { name: string };
      out.push({ dir: `${kind}/${entry}`, kind, name: manifest.name, manifest });
    }
  }
  return out;
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules') continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...tsFiles(full));
    else if (entry.endsWith('.ts')) out.push(full);
  }
  return out;
}

/** Module specifiers of static imports/exports, side-effect imports and dynamic `import('…')`. */
export function specifiers(source: string): string[] {
  // Whole-line comments only: a `//` inside a string (a URL) must not cut the line.
  const code = source
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('//'))
    .join('\n');
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) found.push(m[1]!);
  return found;
}

/** `@rendezvous/x/sub` → `@rendezvous/x`; other specifiers → null. */
function workspacePackage(spec: string): string | null {
  const m = /^(@rendezvous\/[^/]+)/.exec(spec);
  return m ? m[1]! : null;
}

const all = workspaces();
const byName = new Map(all.map((w) => [w.name, w]));
const serviceNames = new Set(all.filter((w) => w.kind === 'services').map((w) => w.name));

function workspaceOf(file: string): Workspace | undefined {
  const rel = path.relative(ROOT, file).split(path.sep);
  return all.find((w) => w.dir === `${rel[0]}/${rel[1]}`);
}

describe('workspace dependencies', () => {
  it('finds the workspaces and their imports', () => {
    expect(all.length).toBeGreaterThan(10);
    expect(specifiers("import a from 'x';\nimport {\n b,\n} from '@rendezvous/y';\nexport * from './z.ts';\nimport 'w';\nawait import('v');")).toEqual(
      ['x', '@rendezvous/y', './z.ts', 'w', 'v'],
    );
  });

  it('no workspace reaches into another by relative path, and no service imports another service', () => {
    const violations: string[] = [];
    for (const w of all) {
      for (const file of tsFiles(path.join(ROOT, w.dir))) {
        const rel = path.relative(ROOT, file);
        for (const spec of specifiers(readFileSync(file, 'utf8'))) {
          if (spec.startsWith('.')) {
            const target = path.resolve(path.dirname(file), spec);
            const targetWs = workspaceOf(target);
            const targetRel = path.relative(ROOT, target);
            // test/support is the shared harness for every tier's tests; src/ never uses it.
            if (targetRel.startsWith(`test${path.sep}support${path.sep}`) && !rel.includes(`${path.sep}src${path.sep}`)) continue;
            if (targetWs !== w) violations.push(`${rel} → ${spec}`);
            continue;
          }
          const pkg = workspacePackage(spec);
          if (pkg && pkg !== w.name && serviceNames.has(pkg)) violations.push(`${rel} → ${pkg}`);
        }
      }
    }
    expect(violations.filter((v) => !PENDING.includes(v))).toEqual([]);
    expect(PENDING.filter((p) => !violations.includes(p))).toEqual([]);
  });

  it('scripts import services and packages by package name, never by path', () => {
    const violations: string[] = [];
    for (const file of tsFiles(path.join(ROOT, 'scripts'))) {
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = path.relative(ROOT, path.resolve(path.dirname(file), spec));
        if (target.startsWith(`services${path.sep}`) || target.startsWith(`packages${path.sep}`)) {
          violations.push(`${path.relative(ROOT, file)} → ${spec}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('every workspace declares exactly the workspace packages it imports, and they exist', () => {
    const problems: string[] = [];
    for (const w of all) {
      const imported = new Set<string>();
      for (const file of tsFiles(path.join(ROOT, w.dir))) {
        for (const spec of specifiers(readFileSync(file, 'utf8'))) {
          const pkg = workspacePackage(spec);
          if (pkg && pkg !== w.name) imported.add(pkg);
        }
      }
      const declared = new Set(
        [...Object.keys(w.manifest.dependencies ?? {}), ...Object.keys(w.manifest.devDependencies ?? {})].filter((d) =>
          d.startsWith('@rendezvous/'),
        ),
      );
      for (const pkg of imported) {
        if (!byName.has(pkg)) problems.push(`${w.dir} imports ${pkg}, which is no workspace`);
        else if (!declared.has(pkg)) problems.push(`${w.dir} imports ${pkg} but does not declare it`);
      }
      for (const pkg of declared) if (!imported.has(pkg)) problems.push(`${w.dir} declares ${pkg} but never imports it`);
    }
    expect(problems).toEqual([]);
  });

  it('every package.json exports target exists', () => {
    const missing: string[] = [];
    const targets = (value: unknown): string[] =>
      typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(targets) : [];
    for (const w of all) {
      const list = targets(w.manifest.exports);
      if (list.length === 0) missing.push(`${w.dir}: no exports`);
      for (const t of list) if (!existsSync(path.join(ROOT, w.dir, t))) missing.push(`${w.dir}: ${t}`);
    }
    expect(missing).toEqual([]);
  });
});
