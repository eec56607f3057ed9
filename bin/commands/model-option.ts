import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_CM_CARD_FILE } from '../../lambdas/antispoof/index.js';
import { DEFAULT_MODEL_CARD_FILE, loadSpeakerModel, type SpeakerModel } from '../../lambdas/voiceprint/index.js';
import { ENV } from '../../lib/contract/env-names.js';
import { UsageError, intOption } from './cli-support.js';

/** The repository root, where models/ lives (this file is bin/commands/model-option.ts). */
const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** Usage lines shared by every command that loads a model. */
export const MODEL_USAGE = `  --model CARD     model card JSON (default: $${ENV.MODEL_CARD}, else ${DEFAULT_MODEL_CARD_FILE})
  --threads N      onnxruntime intra-op threads (default 1)`;

/** parseArgs options shared by every command that loads a model. */
export const MODEL_OPTIONS = {
  model: { type: 'string' },
  threads: { type: 'string' },
} as const;

/**
 * The model card to use: `--model`, else TIMBRE_MODEL_CARD, else the shipped default under `repoRoot`.
 * @throws UsageError when the default is asked for and has not been installed
 */
export function resolveModelCardPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, repoRoot: string = REPO_ROOT): string {
  return resolveCardPath({ flag, option: '--model', envName: ENV.MODEL_CARD, defaultFile: DEFAULT_MODEL_CARD_FILE }, env, repoRoot);
}

/**
 * The countermeasure card to use: `flag` (named `option` in messages), else TIMBRE_CM_MODEL_CARD, else the shipped
 * default under `repoRoot`.
 * @throws UsageError when the default is asked for and has not been installed
 */
export function resolveCmCardPath(flag: string | undefined, option: string, env: NodeJS.ProcessEnv = process.env, repoRoot: string = REPO_ROOT): string {
  return resolveCardPath({ flag, option, envName: ENV.CM_MODEL_CARD, defaultFile: DEFAULT_CM_CARD_FILE }, env, repoRoot);
}

/** A card named by a flag, else by an environment variable, else the shipped default file. */
function resolveCardPath(
  which: { readonly flag: string | undefined; readonly option: string; readonly envName: string; readonly defaultFile: string },
  env: NodeJS.ProcessEnv,
  repoRoot: string,
): string {
  const chosen = which.flag ?? env[which.envName];
  if (chosen !== undefined && chosen !== '') return resolve(chosen);
  const fallback = resolve(repoRoot, which.defaultFile);
  if (!existsSync(fallback)) {
    throw new UsageError(`no model: ${which.defaultFile} is not there yet; pass ${which.option} CARD or set ${which.envName}`);
  }
  return fallback;
}

/** Loads the model the command line and environment name. */
export function loadModelFromArgs(values: { model?: string | undefined; threads?: string | undefined }): Promise<SpeakerModel> {
  const intraOpThreads = intOption('threads', values.threads, 1, 64) ?? 1;
  return loadSpeakerModel(resolveModelCardPath(values.model), { intraOpThreads });
}
