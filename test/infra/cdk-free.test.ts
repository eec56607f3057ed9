import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dynamicImportSpecifiers, importClosure } from '../../lambdas/local/template/source-imports.js';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const CDK_PACKAGES = ['aws-cdk-lib', 'constructs'];
/** The local synth: the one runtime module that loads the CDK, by dynamic import when it synthesizes. */
const LOCAL_SYNTH = 'lambdas/local/template/synthesize.ts';

function typescriptFiles(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { recursive: true }).map(String).filter((f) => f.endsWith('.ts')).map((f) => join(REPO_ROOT, dir, f));
}

/** The repository-relative modules among `files` whose static imports, followed through the repository, reach the CDK. */
function loadingTheCdk(files: string[]): string[] {
  return files
    .filter((file) => importClosure([file], { dynamic: false }).packages.some((name) => CDK_PACKAGES.includes(name)))
    .map((file) => relative(REPO_ROOT, file));
}

describe('runtime code without the CDK', () => {
  it('finds the CDK behind lib/timbre-stack.ts, so the checks below can fail', () => {
    expect(loadingTheCdk([join(REPO_ROOT, 'lib/timbre-stack.ts')])).toEqual(['lib/timbre-stack.ts']);
  });

  it('loads nothing from lib/contract/ that imports aws-cdk-lib or constructs', () => {
    expect(loadingTheCdk(typescriptFiles('lib/contract'))).toEqual([]);
  });

  it('loads no module under lambdas/ that imports aws-cdk-lib or constructs, directly or through lib/', () => {
    expect(loadingTheCdk(typescriptFiles('lambdas'))).toEqual([]);
  });

  it('loads the CDK by dynamic import from the local synth only', () => {
    const reachesCdk = (specifier: string, fromFile: string): boolean => (specifier.startsWith('.')
      ? loadingTheCdk([resolve(dirname(fromFile), specifier.replace(/\.js$/, '.ts'))]).length > 0
      : CDK_PACKAGES.some((name) => specifier === name || specifier.startsWith(`${name}/`)));
    const importers = typescriptFiles('lambdas').filter((file) => dynamicImportSpecifiers(readFileSync(file, 'utf8')).some((s) => reachesCdk(s, file)));
    expect(importers.map((file) => relative(REPO_ROOT, file))).toEqual([LOCAL_SYNTH]);
  });
});
