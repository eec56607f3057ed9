import { LAYER_MOUNT } from '../../../lib/contract/layer-paths.js';
import { layerModels, type LayerSources } from '../../../lib/inference-layer-files.js';

/** Where a Lambda layer is mounted: environment values under it name files the layer ships. */
export const LAYER_MOUNT_PREFIX = `${LAYER_MOUNT}/`;

/**
 * The local twin of every model file the inference layer puts under /opt: a function run in-process
 * reads the repository's speaker model card (the one the layer ships: `sources.speakerModelCard`, else the default),
 * the files it names and the installed Silero model instead, the same files the layer copies
 * (lib/inference-layer-files.ts lists them for both).
 */
export function localLayerPaths(sources: LayerSources = {}): Record<string, string> {
  return Object.fromEntries(layerModels(sources).files.map((file) => [file.layerPath, file.source]));
}
