/** Errors of the speech box (voice-activity detection). */

/** Base class of every error the speech box throws. */
export class SpeechError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SpeechError';
  }
}

/** The Silero VAD model could not be found, failed its checksum, or failed to load or run. */
export class VadModelError extends SpeechError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'VadModelError';
  }
}

/** An option passed to `detectSpeech` or `extractSpeech` is out of range. */
export class InvalidSpeechOptionError extends SpeechError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidSpeechOptionError';
  }
}
