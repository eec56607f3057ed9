/** Errors of the ONNX runtime seam. Callers turn them into their own box's errors. */

/** Why a model could not be opened. */
export type OnnxModelFailure = 'options' | 'unreadable' | 'checksum' | 'derive' | 'session';

/** The run options are out of range, or a model file could not be read, differs from its expected sha256, could not be re-cut, or onnxruntime refused it. */
export class OnnxModelError extends Error {
  constructor(
    readonly reason: OnnxModelFailure,
    readonly path: string,
    message: string,
    /** The file's sha256, when the reason is 'checksum'. */
    readonly actualSha256?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'OnnxModelError';
  }
}

/** An ONNX graph does not have the shape a re-cut expects. */
export class OnnxGraphError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OnnxGraphError';
  }
}
