import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CfnTemplate } from './template-types.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'timbre-templates');

/**
 * A key that changes whenever the synthesized template could: every file under lib/, the installed
 * aws-cdk-lib version, and the synth inputs (`parts`).
 */
export function templateCacheKey(parts: unknown): string {
  const hash = createHash('sha256');
  const libDir = join(REPO_ROOT, 'lib');
  for (const name of readdirSync(libDir, { recursive: true }).map(String).sort()) {
    if (!name.endsWith('.ts')) continue;
    hash.update(name).update(readFileSync(join(libDir, name)));
  }
  hash.update(readFileSync(join(REPO_ROOT, 'node_modules', 'aws-cdk-lib', 'package.json')));
  hash.update(JSON.stringify(parts));
  return hash.digest('hex').slice(0, 32);
}

/**
 * Returns the cached synth result for `key`, or runs `synthesize` and caches it. In-process
 * synthesis of the stack costs seconds (aws-cdk-lib loads lazily); the template only changes with lib/.
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
