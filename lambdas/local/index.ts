export { startLocalTimbre } from './start-local.js';
export type { LocalTimbre, LocalTimbreOptions, LocalResources } from './start-local.js';
export type { LocalCredentials } from './credentials.js';
export { SigV4Verifier } from './sigv4-verifier.js';
export type { AuthFailure, AuthFailureType } from './sigv4-verifier.js';
export { KmsKeystore, KmsApiError } from './kms-keystore.js';
export { startKmsServer } from './kms-server.js';
export { LocalModeError, ServiceStartError, TemplateError, ProvisionError, DataDirError } from './errors.js';
