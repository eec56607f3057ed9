/** Base class of every error the voiceprint box throws. */
export class VoiceprintError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'VoiceprintError';
  }
}

/** The model card is missing, unreadable or invalid; `key` names the offending field when there is one. */
export class ModelCardError extends VoiceprintError {
  constructor(
    readonly cardPath: string,
    message: string,
    readonly key?: string,
    options?: ErrorOptions,
  ) {
    super(`model card ${cardPath}: ${message}`, options);
    this.name = 'ModelCardError';
  }
}

/** The ONNX file could not be loaded or does not match its card (checksum, tensor names). */
export class ModelLoadError extends VoiceprintError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ModelLoadError';
  }
}

/** onnxruntime failed while running the model, or returned something of the wrong shape. */
export class ModelRunError extends VoiceprintError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ModelRunError';
  }
}

/** Bad input to a feature or embedding function (wrong sample rate, empty audio, mismatched dimensions). */
export class InvalidVoiceInputError extends VoiceprintError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidVoiceInputError';
  }
}

/** Less net speech than the card's `windowing.minSeconds`: no embedding can be made. */
export class InsufficientSpeechError extends VoiceprintError {
  constructor(
    readonly netSpeechSeconds: number,
    readonly minSeconds: number,
    options?: ErrorOptions,
  ) {
    super(`${netSpeechSeconds.toFixed(2)} s of speech is less than the ${minSeconds} s the model needs`, options);
    this.name = 'InsufficientSpeechError';
  }
}
