import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LAYER_MODEL_CARD_PATH, LAYER_SILERO_VAD_PATH } from '../../lib/inference-layer.js';
import { sileroModelPath } from '../speech/silero-model-file.js';
import { DEFAULT_MODEL_CARD_FILE } from '../voiceprint/default-model.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where a Lambda layer is mounted: environment values under it name files the layer ships. */
export const LAYER_MOUNT_PREFIX = '/opt/';

/**
 * The local twin of every file the inference layer puts under /opt: a function run in-process reads
 * the repository's model card and the installed Silero model instead, the same files the layer copies.
 */
export function localLayerPaths(): Record<string, string> {
  return {
    [LAYER_MODEL_CARD_PATH]: join(REPO_ROOT, DEFAULT_MODEL_CARD_FILE),
    [LAYER_SILERO_VAD_PATH]: sileroModelPath(),
  };
}
