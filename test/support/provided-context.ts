import type { LocalTimbre } from '../../lambdas/local/index.js';

/**
 * What test/global-setup.ts hands every test file through vitest's provide/inject: the serialisable part
 * of the local Timbre it started (the endpoint, the credentials it accepts, the local AWS service
 * endpoints and credentials, resource names).
 */
export type TimbreTestEnv = Pick<LocalTimbre, 'endpoint' | 'region' | 'credentials' | 'serviceCredentials' | 'endpoints' | 'resources'>;

declare module 'vitest' {
  interface ProvidedContext {
    timbre: TimbreTestEnv;
  }
}
