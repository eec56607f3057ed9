import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inferenceLayerInputs, type LayerSources } from '../../../lib/inference-layer-files.js';
import { importClosure } from './source-imports.js';
import type { CfnTemplate } from './types.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'timbre-templates');

/**
 * Every file a synth of a lib/ stack reads: the lib/ sources and the lambdas/ modules they import,
 * the manifest (so the version) of each package they import (aws-cdk-lib, constructs, …), and what
 * the inference layer is built from (the chosen speaker model card, the files it names, the countermeasure, Silero
 * VAD, onnxruntime's manifests).
 */
export function synthInputFiles(layer: LayerSources = {}): string[] {
  const repoRoot = layer.repoRoot ?? REPO_ROOT;
  const libDir = join(repoRoot, 'lib');
  const sources = readdirSync(libDir, { recursive: true }).map(String).filter((name) => name.endsWith('.ts')).map((name) => join(libDir, name));
  const { files, packages } = importClosure(sources, { dynamic: true });
  return [
    ...files,
    ...packages.map((name) => join(repoRoot, 'node_modules', name, 'package.json')),
    ...inferenceLayerInputs(layer),
  ];
}

/**
 * A key that changes whenever the synthesized template could: the name and bytes of each of `files`
 * (see {@link synthInputFiles}) and the synth inputs (`parts`).
 */
export function templateCacheKey(files: readonly string[], parts: unknown, repoRoot: string = REPO_ROOT): string {
  const hash = createHash('sha256');
  for (const file of [...new Set(files)].sort()) hash.update(relative(repoRoot, file)).update('\0').update(readFileSync(file));
  hash.update(JSON.stringify(parts));
  return hash.digest('hex').slice(0, 32);
}

/**
 * Returns the cached synth result for `key`, or runs `synthesize` and caches it. In-process
 * synthesis of the stack costs seconds (aws-cdk-lib loads lazily); the template only changes with its inputs.
 */
export async function cachedTemplate(
  key: string,
  synthesize: () => Promise<{ stackName: string; template: CfnTemplate }>,
): Promise<{ stackName: string; template: CfnTemplate }> {
  const path = join(CACHE_DIR, `${key}.json`);
  if (existsSync(path)) {
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as { stackName: string; template: CfnTemplate };
    } catch {
      // A torn or foreign file: synthesize again and overwrite it.
    }
  }
  const result = await synthesize();
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(result));
    renameSync(tmp, path);
  } catch {
    // A read-only checkout still works, only without the cache.
  }
  return result;
}
