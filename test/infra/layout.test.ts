/**
 * The layout's other promises, checked on the source itself (cdk-free.test.ts checks the CDK boundary): imports
 * never go round in a circle, and the voice pipeline knows nothing of Voice ID, storage or AWS.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSpecifiers, packageName, resolveRelative } from '../../lambdas/local/template/source-imports.js';

const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** The voice pipeline: signal processing, models and scores, below Voice ID's semantics. */
const PIPELINE_DIRS = ['lambdas/audio', 'lambdas/speech', 'lambdas/voiceprint', 'lambdas/scoring', 'lambdas/onnx', 'lambdas/antispoof'];

interface SourceFile {
  /** Repository-relative project modules it imports, type-only imports included. */
  readonly modules: string[];
  readonly packages: string[];
}

function sources(): Map<string, SourceFile> {
  const files = new Map<string, SourceFile>();
  for (const dir of ['lambdas', 'lib', 'bin']) {
    for (const name of readdirSync(join(REPO_ROOT, dir), { recursive: true }).map(String)) {
      if (!name.endsWith('.ts') || name.endsWith('.d.ts')) continue;
      const path = join(REPO_ROOT, dir, name);
      const specifiers = importSpecifiers(readFileSync(path, 'utf8'), true, true);
      files.set(relative(REPO_ROOT, path), {
        modules: specifiers.filter((s) => s.startsWith('.')).map((s) => relative(REPO_ROOT, resolveRelative(s, path))),
        packages: specifiers.filter((s) => !s.startsWith('.')).flatMap((s) => packageName(s) ?? []),
      });
    }
  }
  return files;
}

/** Strongly connected components of more than one module (Tarjan): each is an import circle. */
function importCircles(files: ReadonlyMap<string, SourceFile>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const circles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    for (const next of files.get(node)!.modules.filter((m) => files.has(m))) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (stack.includes(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component = stack.splice(stack.indexOf(node));
    if (component.length > 1) circles.push(component.sort());
  };
  for (const node of files.keys()) if (!index.has(node)) visit(node);
  return circles;
}

const within = (path: string, dirs: readonly string[]): boolean => dirs.some((dir) => path.startsWith(`${dir}/`));

describe('source layout', () => {
  const files = sources();

  it('finds a circle when there is one, so the check below can fail', () => {
    const pair = new Map([
      ['a.ts', { modules: ['b.ts'], packages: [] }],
      ['b.ts', { modules: ['a.ts'], packages: [] }],
      ['c.ts', { modules: ['a.ts'], packages: [] }],
    ]);
    expect(importCircles(pair)).toEqual([['a.ts', 'b.ts']]);
  });

  it('has no import circle, type-only imports included', () => {
    expect(files.get('lambdas/handlers/api.ts')?.modules.length).toBeGreaterThan(0);
    expect(importCircles(files)).toEqual([]);
  });

  it('keeps the voice pipeline free of Voice ID, storage, HTTP and AWS', () => {
    const offenders = [...files].flatMap(([path, file]) => (within(path, PIPELINE_DIRS)
      ? [
          ...file.modules.filter((m) => !within(m, PIPELINE_DIRS)),
          ...file.packages.filter((p) => p.startsWith('@aws-sdk') || p.startsWith('@aws-lambda-powertools')),
        ].map((target) => `${path} → ${target}`)
      : []));
    expect(offenders).toEqual([]);
  });

  it('keeps onnxruntime-node out of everything the lifecycle sweep, the re-encryption and the Voice ID index import', () => {
    const reaches = (start: string): string[] => {
      const seen = new Set<string>();
      const walk = (path: string): void => {
        if (seen.has(path) || !files.has(path)) return;
        seen.add(path);
        files.get(path)!.modules.forEach(walk);
      };
      walk(start);
      return [...seen].filter((path) => files.get(path)!.packages.includes('onnxruntime-node'));
    };
    expect(reaches('lambdas/handlers/lifecycle-sweep.ts')).toEqual([]);
    expect(reaches('lambdas/handlers/domain-reencrypt.ts')).toEqual([]);
    expect(reaches('lambdas/voiceid/index.ts')).toEqual([]);
    expect(reaches('lambdas/voiceid/sessions/index.ts')).toEqual([]);
    // The check can fail: the API handler does reach it, through the session engine loader.
    expect(reaches('lambdas/handlers/api.ts').length).toBeGreaterThan(0);
  });

  it('keeps the typed client (timbre/client) free of the rest of Timbre, so it ships alone', () => {
    const offenders = [...files].flatMap(([path, file]) => (within(path, ['lambdas/client'])
      ? file.modules.filter((m) => !within(m, ['lambdas/client'])).map((target) => `${path} → ${target}`)
      : []));
    expect(files.has('lambdas/client/index.ts')).toBe(true);
    expect(offenders).toEqual([]);
  });

  it('leaves Voice ID decisions out of the pipeline', () => {
    const offenders = [...files.keys()].filter((path) => within(path, PIPELINE_DIRS) && /['"](ACCEPT|REJECT)['"]/.test(readFileSync(join(REPO_ROOT, path), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
