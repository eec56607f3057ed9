/** Base class of every error the embedded local mode throws. */
export class LocalModeError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalModeError';
  }
}

/** A local service (DynamoDB Local, s3rver, KMS, SFN, the API server) did not start. */
export class ServiceStartError extends LocalModeError {
  constructor(readonly service: string, detail: string, options?: ErrorOptions) {
    super(`${service} did not start: ${detail}`, options);
    this.name = 'ServiceStartError';
  }
}

/** The synthesized template holds something the local provisioner cannot create or resolve. */
export class TemplateError extends LocalModeError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TemplateError';
  }
}

/** A local resource could not be created from the template. */
export class ProvisionError extends LocalModeError {
  constructor(readonly logicalId: string, detail: string, options?: ErrorOptions) {
    super(`cannot provision ${logicalId}: ${detail}`, options);
    this.name = 'ProvisionError';
  }
}

/** The data directory holds a file that cannot be read back (credentials, KMS key material). */
export class DataDirError extends LocalModeError {
  constructor(readonly path: string, detail: string, options?: ErrorOptions) {
    super(`${path}: ${detail}`, options);
    this.name = 'DataDirError';
  }
}
