import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '../..');

/**
 * A data set under the project's shared/data, or undefined when it is not there. The shared folder sits beside the
 * main checkout (`<repo>/../shared`); a worktree under `wt/<name>` finds it two levels up.
 */
export function sharedDataDir(name: string): string | undefined {
  return [resolve(REPO, '../shared/data', name), resolve(REPO, '../../shared/data', name)].find((dir) => existsSync(dir));
}
