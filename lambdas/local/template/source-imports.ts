import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';

/** What a set of TypeScript modules loads at run time. */
export interface ImportClosure {
  /** The modules themselves and every repository module they import, transitively (absolute paths). */
  readonly files: string[];
  /** The npm packages those modules import by name ('aws-cdk-lib', '@aws-sdk/client-s3'), without subpaths. */
  readonly packages: string[];
}

// Static `import … from` / `export … from` (type-only ones load nothing), bare `import '…'`, `import('…')`.
const STATIC_IMPORT = /^\s*(?:import|export)\s+(?!type\s)[^'";]*?\sfrom\s+['"]([^'"]+)['"]/gm;
const TYPE_IMPORT = /^\s*(?:import|export)\s+type\s[^'";]*?\sfrom\s+['"]([^'"]+)['"]/gm;
const SIDE_EFFECT_IMPORT = /^\s*import\s+['"]([^'"]+)['"]/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The module specifiers of the literal `import('…')` calls in `source`. */
export function dynamicImportSpecifiers(source: string): string[] {
  return [...source.matchAll(DYNAMIC_IMPORT)].map((match) => match[1]!);
}

/**
 * The module specifiers `source` imports; with `dynamic`, also its literal `import('…')` calls, and with `types`,
 * its type-only imports (which load nothing but still tie the modules together).
 */
export function importSpecifiers(source: string, dynamic: boolean, types = false): string[] {
  const patterns = types ? [STATIC_IMPORT, SIDE_EFFECT_IMPORT, TYPE_IMPORT] : [STATIC_IMPORT, SIDE_EFFECT_IMPORT];
  const loaded = patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1]!));
  return dynamic ? [...loaded, ...dynamicImportSpecifiers(source)] : loaded;
}

/** A package name from a bare specifier ('aws-cdk-lib/aws-s3' → 'aws-cdk-lib'), or undefined for Node's own modules. */
export function packageName(specifier: string): string | undefined {
  if (specifier.startsWith('node:') || builtinModules.includes(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The .ts file a relative ESM specifier ('./x.js') names from `fromFile`. */
export function resolveRelative(specifier: string, fromFile: string): string {
  const target = resolve(dirname(fromFile), specifier);
  const typescript = target.replace(/\.js$/, '.ts');
  return existsSync(typescript) ? typescript : target;
}

/**
 * Follows the relative imports of `entries` through the repository, as Node would load them
 * (type-only imports are skipped; literal dynamic imports are followed only with `dynamic`).
 */
export function importClosure(entries: readonly string[], options: { dynamic: boolean }): ImportClosure {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = entries.map((entry) => resolve(entry));
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of importSpecifiers(readFileSync(file, 'utf8'), options.dynamic)) {
      if (specifier.startsWith('.')) {
        pending.push(resolveRelative(specifier, file));
      } else {
        const name = packageName(specifier);
        if (name !== undefined) packages.add(name);
      }
    }
  }
  return { files: [...files].sort(), packages: [...packages].sort() };
}
