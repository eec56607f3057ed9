/**
 * Where the inference layer's files are inside a Lambda that has it: the stack points a function's
 * TIMBRE_MODEL_CARD / TIMBRE_CM_MODEL_CARD / TIMBRE_SILERO_VAD_MODEL here, and the local mode maps these paths to the
 * repository files they are copied from (lambdas/local/lambda/layer-paths.ts).
 *
 * lib/contract/ is what the stack and the runtime share: nothing in it may import aws-cdk-lib or
 * constructs (test/infra/cdk-free.test.ts checks it), so runtime code can load it without the CDK.
 */
import { DEFAULT_CM_CARD_FILE } from '../../lambdas/antispoof/default-model.js';
import { DEFAULT_MODEL_CARD_FILE } from '../../lambdas/voiceprint/default-model.js';

/** Where Lambda mounts a layer's contents. */
export const LAYER_MOUNT = '/opt';

/** The layer's folder of models, a copy of the repository's models/ for the speaker card it ships (the files that card names, the countermeasure), plus Silero VAD. */
export const LAYER_MODELS_DIR = `${LAYER_MOUNT}/models`;

/** File name of the Silero VAD model inside the layer's models/ folder. */
export const LAYER_SILERO_VAD_FILE = 'silero_vad.onnx';

/** Absolute path of the default model card inside a Lambda that has the layer (a stack's `speakerModelCard` may choose another). */
export const LAYER_MODEL_CARD_PATH = `${LAYER_MOUNT}/${DEFAULT_MODEL_CARD_FILE}`;

/** Absolute path of the voice-spoofing countermeasure's card inside a Lambda that has the layer. */
export const LAYER_CM_CARD_PATH = `${LAYER_MOUNT}/${DEFAULT_CM_CARD_FILE}`;

/** Absolute path of the Silero VAD model inside a Lambda that has the layer. */
export const LAYER_SILERO_VAD_PATH = `${LAYER_MODELS_DIR}/${LAYER_SILERO_VAD_FILE}`;
